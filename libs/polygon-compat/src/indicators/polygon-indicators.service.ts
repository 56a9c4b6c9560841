import { Inject, Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, DAY_MS, MINUTE_MS, Timeframe, type TimeRange } from '@app/core';
import { type IndicatorColumn, IndicatorPages } from '@app/enrichment';
import { CandleRepository, type ServedCandle } from '@app/market-data';
import { wireOf } from '../aggregates/aggregate-bar';
import { requireStoredAdjustment } from '../aggregates/aggregates.service';
import { REQUEST_ID_SLOT } from '../aggregates/answer-template';
import { pathSegment } from '../http/public-base-url';
import type { DataSource } from '../read-through/data-source';
import { ReadThrough } from '../read-through/read-through.service';
import { decodeIndicatorCursor, encodeIndicatorCursor } from './indicator-cursor';
import { type IndicatorParameters, type IndicatorRequest, type PolygonIndicator, indicatorRequestOf } from './indicator-request';

/** A value of the provider's answer: MACD adds its signal and histogram. */
interface IndicatorValue {
  timestamp: number;
  value: number;
  signal?: number;
  histogram?: number;
}

/**
 * GET /v1/indicators/{sma,ema,rsi,macd}/{ticker}: the provider's parameters mapped onto
 * IndicatorPages (the values /api/v1/asset/{symbol}/indicators serves), its answer shape back.
 * Without timestamp bounds the range is all stored history; values start where each indicator
 * has one (bars of its warm-up have none). `timestamp` of a value is its bar's start.
 */
@Injectable()
export class PolygonIndicatorsService {
  private readonly storedAdjusted: boolean;

  constructor(
    config: AppConfigService,
    private readonly pages: IndicatorPages,
    private readonly candles: CandleRepository,
    private readonly readThrough: ReadThrough,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.storedAdjusted = config.get('POLYGON_ADJUSTED');
  }

  async answer(
    indicator: PolygonIndicator,
    ticker: string,
    query: IndicatorParameters,
    cursorText: string | undefined,
    baseUrl: string,
  ): Promise<{ template: Buffer; dataSource: DataSource }> {
    const cursor = cursorText === undefined ? undefined : decodeIndicatorCursor(cursorText);
    const request = indicatorRequestOf(indicator, ticker, cursor?.parameters ?? query);
    requireStoredAdjustment(request.adjusted, this.storedAdjusted);
    const window = cursor?.window ?? (await this.windowOf(request));
    const dataSource = await this.readThrough.ensure({
      symbol: request.symbol,
      timeframe: baseOf(request),
      range: window,
      order: request.order,
      enough: baseBarsNeeded(request),
    });
    const body = window.start < window.end ? await this.page(request, window, cursor?.candles, baseUrl) : emptyBody(request, baseUrl);
    return { template: Buffer.from(JSON.stringify(body)), dataSource };
  }

  private async page(request: IndicatorRequest, window: TimeRange, candlesCursor: string | undefined, baseUrl: string): Promise<object> {
    const { candles, columns } = await this.pages.page(
      {
        symbol: request.symbol,
        timeframe: request.timeframe,
        start: window.start,
        end: window.end,
        limit: request.limit,
        sort: request.order,
        cursor: candlesCursor,
      },
      request.spec,
    );
    const values = valuesOf(candles.bars, columns[0], request.indicator);
    const next = candles.nextCursor
      ? encodeIndicatorCursor({ parameters: request.parameters, window, candles: candles.nextCursor })
      : undefined;
    return {
      results: { underlying: underlyingOf(request, candles.bars, baseUrl), values },
      status: 'OK',
      request_id: REQUEST_ID_SLOT,
      next_url: next ? `${baseUrl}/v1/indicators/${request.indicator}/${pathSegment(request.ticker)}?cursor=${next}` : undefined,
    };
  }

  /**
   * The timestamp bounds, else all stored history up to the forming bar; with nothing stored, a
   * recent stretch (what read-through fetches when PROVIDER_PASSTHROUGH is on).
   */
  private async windowOf(request: IndicatorRequest): Promise<TimeRange> {
    const frame = Timeframe.of(request.timeframe);
    const end = request.end ?? frame.nextBucketStart(this.clock.now());
    if (request.start !== undefined) return { start: request.start, end };
    // Its own bars, or the 1m bars it is rolled up from (one query when it is 1m).
    const timeframes = [...new Set([request.timeframe, '1m' as const])];
    const oldest = (await Promise.all(timeframes.map((timeframe) => this.candles.oldestBarTime(request.symbol, timeframe))))
      .filter((time): time is number => time !== null)
      .map((time) => frame.bucketStart(time));
    if (oldest.length === 0) return { start: Math.max(0, end - EMPTY_STORE_LOOKBACK_MS[request.timeframe]), end };
    return { start: Math.min(...oldest), end };
  }
}

/** Where a request without a start looks when nothing is stored yet: a few hundred bars. */
const EMPTY_STORE_LOOKBACK_MS: Record<IndicatorRequest['timeframe'], number> = {
  '1m': 5 * DAY_MS,
  '5m': 30 * DAY_MS,
  '15m': 60 * DAY_MS,
  '30m': 90 * DAY_MS,
  '1h': 60 * DAY_MS,
  '4h': 365 * DAY_MS,
  '1d': 2 * 365 * DAY_MS,
  '1w': 10 * 365 * DAY_MS,
};

/** Base bars one page needs stored: its values and the warm-up before them, in minutes or days. */
function baseBarsNeeded(request: IndicatorRequest): number {
  const frame = Timeframe.of(request.timeframe);
  const perBar = Math.max(1, Math.round(frame.durationMs / (frame.isIntraday ? MINUTE_MS : DAY_MS)));
  return (request.limit + request.warmUpBars) * perBar;
}

/** Read-through fetches minute bars for minute and hour indicators, day bars for the others. */
function baseOf(request: IndicatorRequest): '1m' | '1d' {
  return Timeframe.of(request.timeframe).isIntraday ? '1m' : '1d';
}

function valuesOf(bars: readonly ServedCandle[], column: IndicatorColumn, indicator: PolygonIndicator): IndicatorValue[] {
  const values: IndicatorValue[] = [];
  if (indicator === 'macd') {
    const { macd, signal, histogram } = column.values;
    for (let i = 0; i < bars.length; i++) {
      if (Number.isNaN(macd[i]) || Number.isNaN(signal[i])) continue;
      values.push({ timestamp: bars[i].time, value: macd[i], signal: signal[i], histogram: histogram[i] });
    }
    return values;
  }
  const value = column.values[column.outputs[0]];
  for (let i = 0; i < bars.length; i++) if (!Number.isNaN(value[i])) values.push({ timestamp: bars[i].time, value: value[i] });
  return values;
}

/** The aggregates route that serves the page's bars, and the bars themselves when expand_underlying is on. */
function underlyingOf(request: IndicatorRequest, bars: readonly ServedCandle[], baseUrl: string): object {
  if (bars.length === 0) return {};
  const times = bars.map((bar) => bar.time);
  const path = `/v2/aggs/ticker/${pathSegment(request.ticker)}/range/1/${request.timespan}`;
  const url = `${baseUrl}${path}/${Math.min(...times)}/${Math.max(...times)}?limit=50000&sort=${request.order}`;
  return request.expandUnderlying ? { aggregates: bars.map((bar) => wireOf(bar)), url } : { url };
}

function emptyBody(request: IndicatorRequest, baseUrl: string): object {
  return { results: { underlying: underlyingOf(request, [], baseUrl), values: [] }, status: 'OK', request_id: REQUEST_ID_SLOT };
}
