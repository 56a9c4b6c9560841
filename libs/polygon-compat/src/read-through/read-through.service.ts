import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, type SortOrder, Timeframe, type TimeRange } from '@app/core';
import { IngestionService, IngestionStatus } from '@app/ingestion';
import { CandleRepository, DerivedCandleService } from '@app/market-data';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from '@app/provider';
import type { BaseTimeframe } from '../aggregates/aggregate-span';
import type { DataSource } from './data-source';

export interface ReadThroughRequest {
  symbol: string;
  timeframe: BaseTimeframe;
  range: TimeRange;
  order: SortOrder;
  /** Stored base bars that make a page: windows are made complete in `order` until this many are stored. */
  enough: number;
}

/** Windows found complete and settled, remembered so they are not counted again (about 1 MB at most). */
const REMEMBERED_WINDOWS = 10_000;

/**
 * PROVIDER_PASSTHROUGH: before a Polygon-compatible answer is read, the provider windows (one
 * request each) of the range that the store lacks are fetched through IngestionService, so under
 * the client's shared rate limit, and stored; then the answer is read from the store as always.
 * A window counts as stored when every bar the calendar expects in it is (coverage, as for
 * source=auto); a window fetched and settled is remembered, so thin symbols whose calendar expects
 * minutes without trades are not fetched again on every request. Only as many windows as one
 * page needs are made complete per request; windows are planned over whole UTC months (minutes)
 * or years (days), so a short range costs the same single request its month would.
 */
@Injectable()
export class ReadThrough {
  private readonly logger = new Logger(ReadThrough.name);
  private readonly enabled: boolean;
  private readonly revisionMs: number;
  private readonly settled = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    config: AppConfigService,
    private readonly ingestion: IngestionService,
    status: IngestionStatus,
    @Inject(MARKET_DATA_PROVIDER) private readonly provider: MarketDataProvider,
    private readonly derived: DerivedCandleService,
    private readonly candles: CandleRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.enabled = config.get('PROVIDER_PASSTHROUGH') && status.enabled;
    this.revisionMs = config.get('REFRESH_REVISION_MINUTES') * 60_000;
    if (config.get('PROVIDER_PASSTHROUGH') && !status.enabled) {
      this.logger.warn(
        `PROVIDER_PASSTHROUGH is on but ingestion is off (${status.reason}): Polygon-compatible routes serve the store only`,
      );
    }
  }

  /** Makes the start of the range (in `order`) stored, fetching what is missing; says whether anything was fetched. */
  async ensure(request: ReadThroughRequest): Promise<DataSource> {
    if (!this.enabled) return 'store';
    const now = this.clock.now();
    const { symbol, timeframe, range, order, enough } = request;
    const frame = Timeframe.of(timeframe);
    const until = frame.nextBucketStart(now);
    // Windows planned over fixed calendar spans, not the request's range: every page of a query
    // (each with its own range) then meets the same windows, remembered once fetched.
    const windows = spansOf(timeframe, range)
      .filter((span) => span.start < until)
      .flatMap((span) => this.provider.planWindows(symbol, frame, span.start, Math.min(span.end, until)));
    if (order === 'desc') windows.reverse();
    let stored = 0;
    let fetched = false;
    for (const window of windows) {
      const key = `${symbol}\u0000${timeframe}\u0000${window.start}\u0000${window.end}`;
      if (!this.settled.has(key)) {
        if (!(await this.isStored(symbol, timeframe, window, now))) {
          await this.fetchOnce(key, symbol, timeframe, window);
          fetched = true;
        }
        if (window.end + this.revisionMs <= now) this.remember(key);
      }
      const inRange = { start: Math.max(window.start, range.start), end: Math.min(window.end, range.end) };
      if (inRange.start < inRange.end) stored += await this.candles.count(symbol, timeframe, inRange.start, inRange.end);
      if (stored > enough) break;
    }
    return fetched ? 'provider' : 'store';
  }

  /**
   * Whether every bar the calendar expects in a window is stored. A plain range count first: an
   * empty window needs no coverage, whose per-bucket lookup is planned badly (a scan per bucket)
   * while a burst of new rows has not been analysed yet.
   */
  private async isStored(symbol: string, timeframe: BaseTimeframe, window: TimeRange, now: number): Promise<boolean> {
    if ((await this.candles.count(symbol, timeframe, window.start, window.end)) === 0) return false;
    const coverage = await this.derived.coverage(symbol, timeframe, window.start, window.end, now);
    return coverage.storedExpectedBars >= coverage.expectedBars;
  }

  /** Concurrent requests for one window share one fetch. */
  private fetchOnce(key: string, symbol: string, timeframe: BaseTimeframe, window: TimeRange): Promise<void> {
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.ingestion
        .ingest(symbol, timeframe, window.start, window.end)
        .then(() => undefined)
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private remember(key: string): void {
    if (this.settled.size >= REMEMBERED_WINDOWS) this.settled.delete(this.settled.values().next().value!);
    this.settled.add(key);
  }
}

/** The UTC months (minute bars: one provider request each) or years (day bars) that `range` touches, in order. */
function spansOf(timeframe: BaseTimeframe, range: TimeRange): TimeRange[] {
  const months = timeframe === '1m' ? 1 : 12;
  const first = new Date(range.start);
  let month = first.getUTCFullYear() * 12 + (months === 1 ? first.getUTCMonth() : 0);
  const spans: TimeRange[] = [];
  for (let start = monthStartUtc(month); start < range.end; start = monthStartUtc(month)) {
    month += months;
    spans.push({ start, end: monthStartUtc(month) });
  }
  return spans;
}

function monthStartUtc(month: number): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1);
}
