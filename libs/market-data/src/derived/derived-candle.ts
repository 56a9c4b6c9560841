import type { Candle, CandleRangeQuery, TimeframeValue } from '@app/core';
import type { SessionKind } from '@app/calendar';

/** Every timeframe above 1m: what can be rolled up from stored 1m bars. */
export type DerivableTimeframe = Exclude<TimeframeValue, '1m'>;

export const DERIVABLE_TIMEFRAMES: readonly DerivableTimeframe[] = ['5m', '15m', '30m', '1h', '4h', '1d', '1w'];

export function isDerivableTimeframe(timeframe: TimeframeValue): timeframe is DerivableTimeframe {
  return timeframe !== '1m';
}

/** A candle rolled up from 1m bars, with what a client needs to trust it. */
export interface DerivedCandle extends Candle {
  /**
   * False while the bucket's window is still open, or when its 1m bars fall short of what
   * the trading calendar expects (rule: bucket-completeness.ts).
   */
  isComplete: boolean;
  /** How many stored 1m bars went into it. */
  minuteBars: number;
}

/** Buckets that START in [start, end), each built from all of its 1m bars. */
export interface DeriveQuery extends CandleRangeQuery {
  /**
   * US stocks only (others trade on their own calendar and ignore it): 'regular' keeps the
   * 1m bars of 09:30-16:00 New York (13:00 on early closes); 'extended', the default, uses
   * every stored 1m bar, as the continuous aggregates do.
   */
  session?: SessionKind;
  /** Judge completeness as of this instant (Unix ms); defaults to now. */
  asOf?: number;
}

/** How a derive() call was answered; the REST layer may report it. */
export type DerivationMethod = 'continuous-aggregate' | 'query-time';

/** What is stored for a range, for `source=auto` to decide between stored and derived bars. */
export interface CandleCoverage {
  symbol: string;
  timeframe: TimeframeValue;
  start: number;
  end: number;
  /**
   * Start times of buckets that have ended by `asOf` and in which the market had a regular
   * session (stocks; other asset classes: any open time), i.e. bars a complete store holds.
   */
  expectedBars: number;
  /** How many of those expected buckets have a stored bar of `timeframe`. */
  storedExpectedBars: number;
  /** Stored 1m bars in the range, the raw material of derivation. */
  minuteBars: number;
}

/** derive() was asked for 1m, which is stored, not derived. */
export class NotDerivableTimeframeError extends Error {
  constructor(readonly timeframe: TimeframeValue) {
    super(`${timeframe} bars are stored as fetched, not derived; derivable timeframes: ${DERIVABLE_TIMEFRAMES.join(', ')}`);
  }
}
