import { TimeframeValue } from '@app/core';

/** One OHLCV bar. `time` is the Unix ms of the bar's START, as the provider sends it. */
export interface Candle {
  symbol: string;
  timeframe: TimeframeValue;
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | null;
}

/** A bar's values without its series: what a row of one symbol and timeframe holds. */
export type CandleValues = Omit<Candle, 'symbol' | 'timeframe'>;

export interface CandleRangeQuery {
  symbol: string;
  timeframe: TimeframeValue;
  /** Inclusive, Unix ms. */
  start: number;
  /** Exclusive, Unix ms. */
  end: number;
  limit: number;
  order?: 'asc' | 'desc';
}
