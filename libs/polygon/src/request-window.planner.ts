import { tradingWindows } from '@app/calendar';
import { DAY_MS, MINUTE_MS, type Timeframe, type TimeRange } from '@app/core';

/**
 * Splits [start, end) into windows (bars whose start lies in each; a window starts at a bucket start) so that no window needs more than
 * `budget` BASE aggregates: the provider's `limit` counts minute bars for minute and hour
 * requests and day bars for day and week requests, and may cut an answer at that limit
 * without saying so. Minute counts come from the market calendar (extended hours for
 * stocks, around the clock for crypto): an upper bound, since a minute without trades has
 * no bar. A window always holds at least one bucket.
 */
export function planRequestWindows(symbol: string, timeframe: Timeframe, start: number, end: number, budget: number): TimeRange[] {
  // Bars START in [start, end): a bar that began before `start` is not asked for.
  const alignedStart = timeframe.firstBucketAtOrAfter(start);
  if (alignedStart >= end) return [];
  if (budget < 1) throw new RangeError(`window budget must be at least 1 base aggregate, got ${budget}`);
  return timeframe.isIntraday
    ? splitByOpenMinutes(symbol, timeframe, alignedStart, end, budget)
    : splitByDays(timeframe, alignedStart, end, budget);
}

function splitByOpenMinutes(symbol: string, timeframe: Timeframe, start: number, end: number, budget: number): TimeRange[] {
  const periods: TimeRange[] = tradingWindows(symbol, new Date(start), new Date(end), 'extended').map((w) => ({
    start: w.start.getTime(),
    end: w.end.getTime(),
  }));
  const windows: TimeRange[] = [];
  let windowStart = start;
  for (;;) {
    const budgetReachedAt = instantAfterOpenMinutes(periods, windowStart, budget);
    if (budgetReachedAt === undefined || budgetReachedAt >= end) break;
    windowStart = pushWindow(windows, timeframe, windowStart, budgetReachedAt, end);
    if (windowStart >= end) return windows;
  }
  windows.push({ start: windowStart, end });
  return windows;
}

/** The instant at which `minutes` of open market have passed since `from`; undefined if they never do. */
function instantAfterOpenMinutes(periods: readonly TimeRange[], from: number, minutes: number): number | undefined {
  let remainingMs = minutes * MINUTE_MS;
  for (const period of periods) {
    if (period.end <= from) continue;
    const periodStart = Math.max(period.start, from);
    const length = period.end - periodStart;
    if (length >= remainingMs) return periodStart + remainingMs;
    remainingMs -= length;
  }
  return undefined;
}

function splitByDays(timeframe: Timeframe, start: number, end: number, budget: number): TimeRange[] {
  const windows: TimeRange[] = [];
  let windowStart = start;
  // A New York day is at most 25 h long: counting 24 h days could only overestimate the bars.
  while (windowStart + budget * DAY_MS < end) {
    windowStart = pushWindow(windows, timeframe, windowStart, windowStart + budget * DAY_MS, end);
  }
  if (windowStart < end) windows.push({ start: windowStart, end });
  return windows;
}

/** Closes the window at the last bucket start not after `limitAt` (at least one bucket); returns the next start. */
function pushWindow(windows: TimeRange[], timeframe: Timeframe, windowStart: number, limitAt: number, end: number): number {
  let boundary = timeframe.bucketStart(limitAt);
  if (boundary <= windowStart) boundary = timeframe.nextBucketStart(windowStart);
  windows.push({ start: windowStart, end: Math.min(boundary, end) });
  return boundary;
}
