import { Timeframe, type TimeframeValue } from '@app/core';
import type { CandleRepository } from '@app/market-data';

/** The stored bars of a series: its oldest and newest bar start, and the end of the newest bar's bucket (Unix ms). */
export interface SeriesExtent {
  oldest: number;
  newest: number;
  end: number;
}

/**
 * The bars a series is computed over: its own stored bars and, above 1m, the buckets of the 1m
 * bars it can be derived from. Undefined when there are none.
 */
export async function seriesExtentOf(
  candles: CandleRepository,
  symbol: string,
  timeframe: TimeframeValue,
): Promise<SeriesExtent | undefined> {
  const frame = Timeframe.of(timeframe);
  const extents = await candles.extentsOf(symbol, timeframe === '1m' ? ['1m'] : [timeframe, '1m']);
  let oldest = Infinity;
  let newest = -Infinity;
  for (const [of, extent] of extents) {
    if (!extent) continue;
    // 1m bars count from the bucket they fall in.
    const [from, to] =
      of === timeframe ? [extent.oldest, extent.newest] : [frame.bucketStart(extent.oldest), frame.bucketStart(extent.newest)];
    oldest = Math.min(oldest, from);
    newest = Math.max(newest, to);
  }
  return Number.isFinite(oldest) ? { oldest, newest, end: frame.nextBucketStart(newest) } : undefined;
}
