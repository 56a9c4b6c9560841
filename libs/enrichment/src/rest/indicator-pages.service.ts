import { Injectable } from '@nestjs/common';
import { InvalidFieldError } from '@app/core';
import { type CandlePage, type CandlesRequest, CandlesService, type ResolvedCandlesRequest } from '@app/market-data';
import { sessionKeyFor } from '../session';
import type { IndicatorSpec } from '../spec/indicator-spec';
import { parseIndicatorList } from '../spec/parse-indicator-spec';
import { type IndicatorColumn, indicatorColumns } from './indicator-columns';
import { IndicatorHistory } from './indicator-history';
import { StoredIndicators } from './stored-indicators';
import { warmUpOf, warmUpStartIndex } from './warm-up';

/** A page of bars, as /candles would serve it, with the requested indicators' values over it. */
export interface IndicatorPage {
  readonly candles: CandlePage;
  /** In the order the request named them (first of duplicates kept). */
  readonly columns: readonly IndicatorColumn[];
}

const FIELD = 'indicators';

/** An indicator not stored for the series is computed per request only when its warm-up needs at most this many bars. */
export const MAX_ON_THE_FLY_WARM_UP_BARS = 50_000;

/**
 * Indicator values over a page of bars as /candles serves it (same window, source and cursor):
 * stored values where enrichment keeps them up to date for the series, computed on the fly
 * otherwise, from history read from the same source just before the page.
 */
@Injectable()
export class IndicatorPages {
  constructor(
    private readonly candles: CandlesService,
    private readonly history: IndicatorHistory,
    private readonly stored: StoredIndicators,
  ) {}

  /** The specs of `indicators=`; 400 naming the field when empty or bad. */
  specsOf(indicators: string): IndicatorSpec[] {
    const specs = parseIndicatorList(indicators, FIELD);
    if (specs.length === 0) throw new InvalidFieldError(FIELD, 'names no indicator; give at least one, such as rsi:14,sma:20');
    return specs;
  }

  /** Reads the page /candles would serve for `request`, with the values of `indicators` over it. */
  async page(request: CandlesRequest, indicators: string): Promise<IndicatorPage> {
    const specs = this.specsOf(indicators);
    const resolved = this.candles.resolve(request);
    const candles = await this.candles.read(resolved, await this.candles.chooseSource(resolved));
    return { candles, columns: await this.columnsOver(resolved, candles, specs) };
  }

  /** The values of `specs` over the bars of `page` (in the page's order), stored where they can be. */
  async columnsOver(resolved: ResolvedCandlesRequest, page: CandlePage, specs: readonly IndicatorSpec[]): Promise<IndicatorColumn[]> {
    const newestFirst = resolved.sort === 'desc';
    const pageAscending = newestFirst ? [...page.bars].reverse() : page.bars;
    const stored = await this.stored.columns(resolved, page.source, specs, pageAscending, newestFirst);
    const toCompute = specs.filter((_, i) => !stored[i]);
    const context = { sessionOf: sessionKeyFor(resolved.symbol) };
    const pageStart = pageAscending[0]?.time ?? resolved.window.start;
    const warmUps = toCompute.map((spec) => warmUpOf(spec, resolved.window.start, pageStart, context.sessionOf));
    warmUps.forEach((warmUp, i) => refuseLongWarmUp(toCompute[i], warmUp.barsBefore, resolved));
    const history = toCompute.length && pageAscending.length ? await this.history.before(resolved, page.source, pageStart, warmUps) : [];
    const starts = warmUps.map((warmUp) => warmUpStartIndex(history, warmUp));
    const computed = indicatorColumns(toCompute, history, starts, pageAscending, context, newestFirst);
    let next = 0;
    return specs.map((_, i) => stored[i] ?? computed[next++]);
  }
}

function refuseLongWarmUp(spec: IndicatorSpec, barsBefore: number, { symbol, timeframe }: ResolvedCandlesRequest): void {
  if (barsBefore <= MAX_ON_THE_FLY_WARM_UP_BARS) return;
  throw new InvalidFieldError(
    FIELD,
    `${spec.key} is not kept for ${symbol} ${timeframe.value} and needs ${barsBefore} bars of warm-up to compute on the fly ` +
      `(at most ${MAX_ON_THE_FLY_WARM_UP_BARS}); keep it with PUT /api/v1/symbol/${symbol}/indicators, or use a shorter period`,
  );
}
