import { tradingWindows } from '@app/calendar';
import { intersect, normalize, subtract, type Timeframe, TimeRange, totalLength, union } from '@app/core';
import type { MarketDataProvider } from '@app/provider';

/** A day or week bucket with no open market before the current one: look this far back for the last session. */
const MAX_CLOSED_BUCKETS = 14;

/** What a job knows when it decides what to fetch. All times Unix ms. */
export interface PlanInput {
  symbol: string;
  timeframe: Timeframe;
  now: number;
  /** How far back a tracked job keeps history (BACKFILL_WINDOWS). */
  windowMs: number;
  /** Intraday bars younger than this are not final (REFRESH_REVISION_MINUTES). */
  revisionMs: number;
  /** Tracked jobs keep [now - window, now) and refresh; untracked ones only fill what was requested. */
  tracked: boolean;
  /** Ranges whose bars are fetched and final. */
  covered: readonly TimeRange[];
  /** Ranges asked for by hand (POST .../backfill, the CLI). */
  requested: readonly TimeRange[];
  /** Ranges a forced backfill reads again although covered (the provider corrected them). */
  forced: readonly TimeRange[];
}

/** Splits a range into provider windows: the provider itself (MarketDataProvider.planWindows). */
export type WindowPlanner = Pick<MarketDataProvider, 'planWindows'>;

/** One provider window to fetch: bars starting in [start, end). */
export interface Chunk extends TimeRange {
  /** False when the calendar says the market was closed throughout: covered without a request. */
  open: boolean;
}

/** Where history starts for a tracked job: the bucket holding now - window. */
export function windowStart(input: Pick<PlanInput, 'timeframe' | 'now' | 'windowMs'>): number {
  return input.timeframe.bucketStart(input.now - input.windowMs);
}

/**
 * Bars starting before this instant are final: they will not be revised any more, so a
 * range below it, once fetched, is never fetched again. Intraday: older than the revision
 * window (and than one bar). Day and week: before the last session, which the provider
 * still revises after the close, so every refresh re-reads it with the current bar.
 */
export function finalBefore(input: Pick<PlanInput, 'symbol' | 'timeframe' | 'now' | 'revisionMs'>): number {
  const { symbol, timeframe, now } = input;
  if (timeframe.isIntraday) return timeframe.bucketStart(now - Math.max(input.revisionMs, timeframe.durationMs));
  let bucket = timeframe.bucketStart(now);
  for (let i = 0; i < MAX_CLOSED_BUCKETS; i++) {
    const previous = timeframe.bucketStart(bucket - 1);
    if (hasOpenMarket(symbol, timeframe, { start: previous, end: bucket })) return previous;
    bucket = previous;
  }
  return bucket;
}

/** Newest end of the covered ranges that reach into the history window. */
function coveredHead(input: PlanInput): number | undefined {
  const start = windowStart(input);
  const inWindow = normalize(input.covered).filter((r) => r.end > start);
  return inWindow.length ? inWindow[inWindow.length - 1].end : undefined;
}

/**
 * What a refresh re-reads: from the end of what is covered (or the revision window, when
 * nothing recent is) up to now. Everything past `finalBefore` is re-read every time.
 */
export function refreshRange(input: PlanInput): TimeRange | undefined {
  const final = finalBefore(input);
  const head = coveredHead(input);
  const start = head !== undefined ? Math.min(head, final) : final;
  return start < input.now ? { start, end: input.now } : undefined;
}

/**
 * Everything the job should eventually have covered. A tracked job's newest part belongs
 * to the refresh, so its target ends where the coverage head is; an untracked job's at
 * `finalBefore`.
 */
export function backfillTarget(input: PlanInput): TimeRange[] {
  const final = finalBefore(input);
  const start = windowStart(input);
  const head = input.tracked ? coveredHead(input) : undefined;
  const horizon = head !== undefined && head > start ? Math.min(head, final) : final;
  const wanted = input.tracked ? [{ start, end: horizon }, ...input.requested] : [...input.requested];
  return intersect(wanted, [{ start: Number.MIN_SAFE_INTEGER, end: horizon }]);
}

/** The parts of the target not covered yet. */
export function missingRanges(input: PlanInput): TimeRange[] {
  return subtract(backfillTarget(input), input.covered);
}

/**
 * What a run fetches: the missing part of the target, plus every forced range up to now,
 * covered or not (beyond the target too, so nothing forced waits for the next refresh).
 */
export function rangesToFetch(input: PlanInput): TimeRange[] {
  return union(missingRanges(input), intersect(input.forced, [{ start: Number.MIN_SAFE_INTEGER, end: input.now }]));
}

/** Share of the target covered and not waiting for a forced re-read, 0..100 (100 when there is nothing to do). */
export function progressPercent(input: PlanInput): number {
  const target = backfillTarget(input);
  const total = totalLength(target);
  if (total === 0) return 100;
  return Math.floor((totalLength(intersect(target, subtract(input.covered, input.forced))) / total) * 1000) / 10;
}

/**
 * Splits ranges into provider windows (the provider's own plan, so each chunk is one
 * request unless the provider pages), newest first so recent bars arrive before old ones.
 * Chunks the calendar says were closed throughout are marked so no request goes out.
 */
export function chunksNewestFirst(symbol: string, timeframe: Timeframe, ranges: readonly TimeRange[], planner: WindowPlanner): Chunk[] {
  const chunks: Chunk[] = [];
  for (const range of [...normalize(ranges)].reverse()) {
    const windows: TimeRange[] = [...planner.planWindows(symbol, timeframe, range.start, range.end)];
    if (windows.length === 0) {
      // No bucket starts in the range, so no bar can: nothing to ask.
      chunks.push({ ...range, open: false });
      continue;
    }
    // The planner starts at the first bucket start; the sliver before it holds no bar start.
    windows[0] = { start: range.start, end: windows[0].end };
    for (const window of windows.reverse()) chunks.push({ ...window, open: hasOpenMarket(symbol, timeframe, window) });
  }
  return chunks;
}

/** Whether any bar starting in `range` could exist: the market was open during one of those buckets. */
export function hasOpenMarket(symbol: string, timeframe: Timeframe, range: TimeRange): boolean {
  if (range.end <= range.start) return false;
  const firstBucket = timeframe.firstBucketAtOrAfter(range.start);
  if (firstBucket >= range.end) return false;
  const lastBucketEnd = timeframe.nextBucketStart(range.end - 1);
  return tradingWindows(symbol, new Date(firstBucket), new Date(lastBucketEnd), 'extended').length > 0;
}
