import { Timeframe, type TimeframeValue } from '@app/core';

/** Bar durations per block: a day of 1m, five days of 5m, 60 days of 1h, 1,440 days of 1d. */
export const BARS_PER_BLOCK = 1_440;

/** Start (Unix ms) of the block `time` falls in; blocks partition time from the epoch on. */
export function blockStartOf(timeframe: TimeframeValue, time: number): number {
  const span = BARS_PER_BLOCK * Timeframe.of(timeframe).durationMs;
  return Math.floor(time / span) * span;
}

export function blockSpanOf(timeframe: TimeframeValue): number {
  return BARS_PER_BLOCK * Timeframe.of(timeframe).durationMs;
}
