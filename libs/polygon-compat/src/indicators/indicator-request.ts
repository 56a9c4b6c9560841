import { type IndicatorSpec, parseIndicatorSpec, seriesWarmUpBars } from '@app/enrichment';
import { type SortOrder, Timeframe, type TimeframeValue } from '@app/core';
import { type RangeEnd, newYorkInstant } from '../aggregates/polygon-time';
import { PolygonRequestError } from '../http/polygon-request.error';
import type { IndicatorQuery, MacdIndicatorQuery, WindowIndicatorQuery } from './indicator-query.dto';

export type PolygonIndicator = 'sma' | 'ema' | 'rsi' | 'macd';

/** The provider's defaults. */
const DEFAULT_WINDOW: Record<Exclude<PolygonIndicator, 'macd'>, number> = { sma: 50, ema: 50, rsi: 14 };
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 5_000;

/** The timespans that are a timeframe at multiplier 1: minute 1m, hour 1h, day 1d, week 1w. */
const TIMEFRAME_OF_TIMESPAN: ReadonlyMap<string, TimeframeValue> = new Map(
  Timeframe.all()
    .filter((frame) => frame.polygon.multiplier === 1)
    .map((frame) => [frame.polygon.timespan, frame.value]),
);

/** The query a cursor re-reads: every parameter but the key and the cursor. */
export type IndicatorParameters = Omit<WindowIndicatorQuery & MacdIndicatorQuery, 'apiKey' | 'cursor'>;

export interface IndicatorRequest {
  indicator: PolygonIndicator;
  ticker: string;
  symbol: string;
  timespan: string;
  timeframe: TimeframeValue;
  adjusted: boolean;
  /** Our spec of it, e.g. `macd:12:26:9`. */
  spec: string;
  /** Bars before a range that its first value warms up on (enrichment's series warm-up). */
  warmUpBars: number;
  expandUnderlying: boolean;
  order: SortOrder;
  limit: number;
  /** From the timestamp filters: values whose bar starts in [start, end); open ends are undefined. */
  start?: number;
  end?: number;
  parameters: IndicatorParameters;
}

/** The provider's parameters as our indicator spec and candle range; 400s name the parameter. */
export function indicatorRequestOf(indicator: PolygonIndicator, ticker: string, query: IndicatorParameters): IndicatorRequest {
  const timespan = query.timespan ?? 'day';
  const timeframe = TIMEFRAME_OF_TIMESPAN.get(timespan);
  if (!timeframe)
    throw PolygonRequestError.badParameter(
      'timespan',
      `${timespan} bars are not served for indicators here; use minute, hour, day or week`,
    );
  if ((query.series_type ?? 'close') !== 'close') {
    throw PolygonRequestError.badParameter('series_type', `indicators are computed on closes here; ${query.series_type} is not served`);
  }
  const { start, end } = boundsOf(query);
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw PolygonRequestError.badParameter('limit', `must be a positive whole number, got '${query.limit}'`);
  const order = query.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw PolygonRequestError.badParameter('order', `must be asc or desc, got '${String(order)}'`);
  const spec = specOf(indicator, query);
  return {
    indicator,
    ticker,
    symbol: ticker.toUpperCase(),
    timespan,
    timeframe,
    adjusted: query.adjusted !== 'false',
    spec: spec.key,
    warmUpBars: seriesWarmUpBars(spec),
    expandUnderlying: query.expand_underlying === 'true',
    order,
    limit: Math.min(MAX_LIMIT, limit),
    start,
    end,
    parameters: query,
  };
}

function specOf(indicator: PolygonIndicator, query: IndicatorParameters): IndicatorSpec {
  if (indicator === 'macd') {
    const spec = `macd:${query.short_window ?? 12}:${query.long_window ?? 26}:${query.signal_window ?? 9}`;
    return parseIndicatorSpec(spec, 'short_window, long_window, signal_window');
  }
  return parseIndicatorSpec(`${indicator}:${query.window ?? DEFAULT_WINDOW[indicator]}`, 'window');
}

/** The timestamp filters as one [start, end): a date is its whole New York day, milliseconds one instant. */
function boundsOf(query: IndicatorParameters): { start?: number; end?: number } {
  const lower: number[] = [];
  const upper: number[] = [];
  const at = (field: keyof IndicatorParameters, end: RangeEnd): number | undefined => {
    const text = query[field];
    if (text === undefined) return undefined;
    const value = newYorkInstant(text, end);
    if (value === undefined) throw PolygonRequestError.badParameter(field, `must be YYYY-MM-DD or Unix milliseconds, got '${text}'`);
    return value;
  };
  const push = (list: number[], value: number | undefined, shift = 0) => value !== undefined && list.push(value + shift);
  push(lower, at('timestamp', 'from'));
  push(upper, at('timestamp', 'to'), 1);
  push(lower, at('timestamp.gte', 'from'));
  push(lower, at('timestamp.gt', 'to'), 1);
  push(upper, at('timestamp.lte', 'to'), 1);
  push(upper, at('timestamp.lt', 'from'));
  return { start: lower.length ? Math.max(...lower) : undefined, end: upper.length ? Math.min(...upper) : undefined };
}

/** The parameters of a DTO, without the key or the cursor, for a cursor to carry. */
export function parametersOf(query: IndicatorQuery): IndicatorParameters {
  const { apiKey: _key, cursor: _cursor, ...parameters } = query as WindowIndicatorQuery & MacdIndicatorQuery;
  return Object.fromEntries(Object.entries(parameters).filter(([, value]) => value !== undefined));
}
