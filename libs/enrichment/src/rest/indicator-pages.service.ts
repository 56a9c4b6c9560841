import { Injectable } from '@nestjs/common';
import { InvalidFieldError } from '@app/core';
import { type CandlePage, type CandlesRequest, CandlesService } from '@app/market-data';
import { sessionKeyFor } from '../session';
import { parseIndicatorList } from '../spec/parse-indicator-spec';
import { type IndicatorColumn, indicatorColumns } from './indicator-columns';
import { IndicatorHistory } from './indicator-history';
import { warmUpOf, warmUpStartIndex } from './warm-up';

/** A page of bars, as /candles would serve it, with the requested indicators' values over it. */
export interface IndicatorPage {
  readonly candles: CandlePage;
  /** In the order the request named them (first of duplicates kept). */
  readonly columns: readonly IndicatorColumn[];
}

const FIELD = 'indicators';

/**
 * Indicators computed on the fly: the page of bars comes from CandlesService exactly as on
 * /candles (same window, source and cursor), and the history each indicator warms up on is
 * read from the same source just before it.
 */
@Injectable()
export class IndicatorPages {
  constructor(
    private readonly candles: CandlesService,
    private readonly history: IndicatorHistory,
  ) {}

  async page(request: CandlesRequest, indicators: string): Promise<IndicatorPage> {
    const specs = parseIndicatorList(indicators, FIELD);
    if (specs.length === 0) throw new InvalidFieldError(FIELD, 'names no indicator; give at least one, such as rsi:14,sma:20');
    const resolved = this.candles.resolve(request);
    const candles = await this.candles.read(resolved, await this.candles.chooseSource(resolved));
    const context = { sessionOf: sessionKeyFor(resolved.symbol) };
    if (candles.bars.length === 0)
      return {
        candles,
        columns: indicatorColumns(
          specs,
          [],
          specs.map(() => 0),
          [],
          context,
          false,
        ),
      };

    const newestFirst = resolved.sort === 'desc';
    const pageAscending = newestFirst ? [...candles.bars].reverse() : candles.bars;
    const pageStart = pageAscending[0].time;
    const warmUps = specs.map((spec) => warmUpOf(spec, resolved.window.start, pageStart, context.sessionOf));
    const history = await this.history.before(resolved, candles.source, pageStart, warmUps);
    const starts = warmUps.map((warmUp) => warmUpStartIndex(history, warmUp));
    return { candles, columns: indicatorColumns(specs, history, starts, pageAscending, context, newestFirst) };
  }
}
