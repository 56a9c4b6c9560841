import type { CandleValues, SortOrder } from '@app/core';
import type { MinuteTally } from './bucket-completeness';

/** One derived bucket as read from the database, before it is judged complete or not. */
export interface RolledUpBar extends CandleValues {
  tally: MinuteTally;
}

/** The buckets a derived read asks for. */
export interface BucketRange {
  symbol: string;
  /** First bucket start, inclusive (Unix ms). */
  start: number;
  /** Exclusive (Unix ms); 1m bars are read up to here, so it must be a bucket boundary. */
  end: number;
  limit: number;
  order: SortOrder;
}

/** The columns both derived readers return (readAggregateSql, rollUpMinutesSql). */
export interface RolledUpRow extends CandleValues {
  minute_bars: number;
  regular_morning_bars: number;
  regular_afternoon_bars: number;
}

export function toRolledUpBar(row: RolledUpRow): RolledUpBar {
  return {
    time: row.time,
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    volume: row.volume,
    vwap: row.vwap,
    trades: row.trades,
    tally: {
      minuteBars: row.minute_bars,
      regularMorningBars: row.regular_morning_bars,
      regularAfternoonBars: row.regular_afternoon_bars,
    },
  };
}
