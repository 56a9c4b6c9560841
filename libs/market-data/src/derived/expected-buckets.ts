import { Timeframe } from '@app/core';
import { expectedBarStarts, tradingWindows } from '@app/calendar';

/**
 * Starts of the `timeframe` buckets in [start, end) that a complete store must hold: the
 * bucket has ended by `asOf` and the market traded in it (the regular session for stocks,
 * whose pre/post-market-only buckets may legitimately be empty; any open time for others).
 */
export function expectedBucketStarts(symbol: string, timeframe: Timeframe, start: number, end: number, asOf: number): number[] {
  const first = timeframe.firstBucketAtOrAfter(start);
  if (first >= end) return [];
  if (timeframe.isIntraday) {
    return expectedBarStarts(symbol, timeframe.durationMs, new Date(first), new Date(end), 'regular').filter(
      (bucket) => bucket >= first && bucket + timeframe.durationMs <= asOf,
    );
  }
  const starts: number[] = [];
  for (let bucket = first; bucket < end; bucket = timeframe.nextBucketStart(bucket)) {
    const next = timeframe.nextBucketStart(bucket);
    if (next > asOf) break;
    if (tradingWindows(symbol, new Date(bucket), new Date(next), 'regular').length > 0) starts.push(bucket);
  }
  return starts;
}
