import { Inject, Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, DAY_MS, newYorkDayStart, Timeframe, type TimeRange } from '@app/core';
import { CandleSourceSelector, type ServedCandle, type ServedSource } from '@app/market-data';
import { ReadThrough } from '../read-through/read-through.service';
import type { DataSource } from '../read-through/data-source';
import { wireOf } from './aggregate-bar';
import { aggregatesBodyTemplate } from './aggregates-body';
import { requireStoredAdjustment } from './aggregates.service';

/** How far back the read-through looks for the previous session: a long holiday weekend and then some. */
const LOOKBACK_MS = 10 * DAY_MS;

/**
 * GET /v2/aggs/ticker/{ticker}/prev: the last day bar of a New York day that has ended, stored or
 * rolled up from 1m (whichever covers the days before today), with the ticker as `T`, as the provider sends it.
 */
@Injectable()
export class PreviousCloseService {
  private readonly storedAdjusted: boolean;

  constructor(
    config: AppConfigService,
    private readonly selector: CandleSourceSelector,
    private readonly readThrough: ReadThrough,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.storedAdjusted = config.get('POLYGON_ADJUSTED');
  }

  async answer(ticker: string, adjusted: boolean): Promise<{ template: Buffer; dataSource: DataSource }> {
    requireStoredAdjustment(adjusted, this.storedAdjusted);
    const symbol = ticker.toUpperCase();
    const now = this.clock.now();
    const before = newYorkDayStart(now);
    const window = { start: before - LOOKBACK_MS, end: before };
    const dataSource = await this.readThrough.ensure({ symbol, timeframe: '1d', range: window, order: 'desc', enough: 0 });
    const bar = await this.previousDay(symbol, window, now);
    const results = bar ? [{ T: ticker, ...wireOf(bar) }] : [];
    return { template: aggregatesBodyTemplate({ ticker, queryCount: results.length, adjusted, results }), dataSource };
  }

  private async previousDay(symbol: string, window: TimeRange, asOf: number): Promise<ServedCandle | undefined> {
    const chosen = await this.selector.choose({ symbol, timeframe: Timeframe.of('1d'), choice: 'auto', session: 'extended', window, asOf });
    const query = { symbol, timeframe: '1d' as const, before: window.end, count: 1 };
    const [bar] = await this.selector.readBefore(chosen, query, 'extended', asOf);
    if (bar) return bar;
    const other: ServedSource = chosen === 'native' ? 'derived' : 'native';
    return (await this.selector.readBefore(other, query, 'extended', asOf))[0];
  }
}
