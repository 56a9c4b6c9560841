import {
  assetClassOf,
  CLOCK,
  type Clock,
  InvalidFieldError,
  requireStartBeforeEnd,
  Timeframe,
  TimeframeValue,
  type TimeRange,
} from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { type SessionKind } from '@app/calendar';
import { CursorError, CursorQuery, SortOrder, decodeCursor, encodeCursor } from './candle-cursor';
import type { ServedCandle, ServedSource, SourceChoice } from './served-candle';
import { CandleSourceSelector } from './candle-source-selector';
import { DEFAULT_LOOKBACK_MS } from './candle-window';

export const DEFAULT_TIMEFRAME: TimeframeValue = '1h';

/** One request for bars, as the client gave it (times already parsed to Unix ms). */
export interface CandlesRequest {
  symbol: string;
  timeframe?: string;
  start?: number;
  end?: number;
  limit?: number;
  cursor?: string;
  sort?: SortOrder;
  /** Default auto. */
  source?: SourceChoice;
  /** Default extended; US stocks only, other symbols ignore it. */
  session?: SessionKind;
}

export interface CandlePage {
  symbol: string;
  timeframe: Timeframe;
  /** The [start, end) window being paged through (defaults applied, fixed by the first page). */
  window: TimeRange;
  /** Each bar flagged complete or not by the rule of the source that served it. */
  bars: ServedCandle[];
  /** Stored bars of the timeframe, or bars rolled up from stored 1m bars. */
  source: ServedSource;
  /** Present whenever bars were left out of this page; null once the window is exhausted. */
  nextCursor: string | null;
}

/** A request with its defaults applied: everything that decides the answer, as of `asOf`. */
export interface ResolvedCandlesRequest {
  symbol: string;
  timeframe: Timeframe;
  limit: number;
  sort: SortOrder;
  choice: SourceChoice;
  session: SessionKind;
  /** The [start, end) window being paged through. */
  window: TimeRange;
  /** Time of the last bar already served (from the cursor). */
  after: number | undefined;
  cursorQuery: CursorQuery;
  asOf: number;
  /** No end and no cursor: the window moves with the clock. */
  endsAtNow: boolean;
}

/**
 * Answers "bars of one symbol and timeframe in [start, end)": applies the defaults,
 * enforces the page size, and pages with a cursor, so no result is ever cut silently.
 */
@Injectable()
export class CandlesService {
  constructor(
    private readonly config: AppConfigService,
    // Only `choose` and `read` are used, so a unit spec can hand in bars held in memory.
    @Inject(CandleSourceSelector) private readonly sources: Pick<CandleSourceSelector, 'choose' | 'read'>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The timeframe served when none is asked for: 1h, or the first allowed one if 1h is not allowed. */
  get defaultTimeframe(): TimeframeValue {
    const allowed = this.config.allowedTimeframes;
    return allowed.includes(DEFAULT_TIMEFRAME) ? DEFAULT_TIMEFRAME : allowed[0];
  }

  async page(request: CandlesRequest): Promise<CandlePage> {
    const resolved = this.resolve(request);
    return this.read(resolved, await this.chooseSource(resolved));
  }

  /** The request with every default applied and its cursor decoded; no I/O, so a cache can key on it. */
  resolve(request: CandlesRequest): ResolvedCandlesRequest {
    const timeframe = this.config.parseTimeframe(request.timeframe ?? this.defaultTimeframe);
    const limit = this.pageSize(request.limit);
    const sort = request.sort ?? 'asc';
    const asOf = this.clock.now();
    const choice = request.source ?? 'auto';
    const session = sessionOf(request.symbol, request.session);
    checkSourceAndSession(timeframe, choice, session);
    const cursorQuery: CursorQuery = {
      symbol: request.symbol,
      timeframe: timeframe.value,
      sort,
      start: request.start,
      end: request.end,
      source: choice,
      session,
    };
    const { window, after } = request.cursor
      ? this.continueFrom(request.cursor, cursorQuery)
      : { window: this.windowOf(request, timeframe, asOf), after: undefined };
    const endsAtNow = request.end === undefined && request.cursor === undefined;
    return { symbol: request.symbol, timeframe, limit, sort, choice, session, window, after, cursorQuery, asOf, endsAtNow };
  }

  chooseSource(resolved: ResolvedCandlesRequest): Promise<ServedSource> {
    const { symbol, timeframe, choice, session, window, asOf } = resolved;
    return this.sources.choose({ symbol, timeframe, choice, session, window, asOf });
  }

  async read(resolved: ResolvedCandlesRequest, source: ServedSource): Promise<CandlePage> {
    const { symbol, timeframe, limit, sort, session, window, after, asOf } = resolved;
    const range =
      after === undefined ? window : sort === 'asc' ? { start: after + 1, end: window.end } : { start: window.start, end: after };
    // Read one bar more than the page holds: its presence is what says "there is more".
    const query = { symbol, timeframe: timeframe.value, start: range.start, end: range.end, limit: limit + 1, order: sort };
    const bars = await this.sources.read(source, query, session, asOf);
    const hasMore = bars.length > limit;
    if (hasMore) bars.length = limit;
    const nextCursor = hasMore ? encodeCursor(resolved.cursorQuery, { window, after: bars[bars.length - 1].time }) : null;
    return { symbol, timeframe, window, bars, source, nextCursor };
  }

  private pageSize(requested: number | undefined): number {
    const max = this.config.get('CANDLES_MAX_PAGE_SIZE');
    if (requested === undefined) return Math.min(this.config.get('CANDLES_PAGE_SIZE'), max);
    if (requested > max) throw new InvalidFieldError('limit', `must not be greater than ${max}`);
    return requested;
  }

  private windowOf(request: CandlesRequest, timeframe: Timeframe, now: number): TimeRange {
    const end = request.end ?? now;
    const start = request.start ?? end - DEFAULT_LOOKBACK_MS[timeframe.value];
    requireStartBeforeEnd({ start, end }, request.end === undefined);
    return { start, end };
  }

  private continueFrom(cursor: string, query: CursorQuery): { window: TimeRange; after: number } {
    try {
      return decodeCursor(cursor, query);
    } catch (error) {
      if (error instanceof CursorError) throw new InvalidFieldError('cursor', error.message);
      throw error;
    }
  }
}

/** Sessions are a US-stock notion: other symbols ignore the parameter (documented on the DTO). */
function sessionOf(symbol: string, requested: SessionKind | undefined): SessionKind {
  return assetClassOf(symbol) === 'stocks' ? (requested ?? 'extended') : 'extended';
}

/** Combinations that cannot be served; 400s naming the parameter to change. */
function checkSourceAndSession(timeframe: Timeframe, choice: SourceChoice, session: SessionKind): void {
  if (timeframe.value === '1m' && choice === 'derived') {
    throw new InvalidFieldError('source', '1m bars cannot be derived; use source=native or auto');
  }
  if (session !== 'regular') return;
  if (timeframe.value === '1m') {
    throw new InvalidFieldError('session', '1m bars are served as stored; session=regular needs a timeframe above 1m');
  }
  if (choice === 'native') {
    throw new InvalidFieldError('session', 'stored bars are not split by session; use source=derived or auto with session=regular');
  }
}
