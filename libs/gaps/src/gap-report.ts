import { expectedBarStarts, type SessionKind, tradingWindows } from '@app/calendar';
import type { Timeframe, TimeRange } from '@app/core';

/** Bars expected by the calendar but not stored, in a row. */
export interface Gap extends TimeRange {
  bars: number;
  /**
   * true: the range was fetched (it is in the backfill checkpoint) and the provider had no
   * bar, e.g. a minute without trades; false: not fetched yet.
   */
  fetched: boolean;
}

export interface GapReport {
  symbol: string;
  timeframe: Timeframe;
  session: SessionKind;
  /** The buckets looked at: [start, end), end clipped to the current (incomplete) bar. */
  start: number;
  end: number;
  expectedBars: number;
  storedBars: number;
  missingBars: number;
  gaps: Gap[];
  /** Runs of buckets when the market was closed: no bar is expected there. */
  closed: TimeRange[];
}

export interface GapInput {
  symbol: string;
  timeframe: Timeframe;
  session: SessionKind;
  start: number;
  end: number;
  /** Start times of stored bars in [start, end), ascending. */
  stored: readonly number[];
  /** Ranges the backfill has fetched. */
  covered: readonly TimeRange[];
}

type BucketKind = 'closed' | 'stored' | 'missing';

/**
 * Walks every bucket of the timeframe whose start lies in [start, end) and sorts it:
 * closed (the calendar expects no bar), stored, or missing (expected, not stored). Runs of
 * missing buckets become gaps, split where the backfill's coverage starts or ends; runs of
 * closed buckets are listed apart, so a weekend is never reported as missing data.
 */
export function buildGapReport(input: GapInput): GapReport {
  const { symbol, timeframe, session } = input;
  const expected = expectedBuckets(input);
  const stored = new Set(input.stored);
  const covered = [...input.covered].sort((a, b) => a.start - b.start);
  const gaps: Gap[] = [];
  const closed: TimeRange[] = [];
  let expectedBars = 0;
  let storedBars = 0;
  let previous: { kind: BucketKind; fetched: boolean } | undefined;
  for (let bucket = timeframe.firstBucketAtOrAfter(input.start); bucket < input.end; bucket = timeframe.nextBucketStart(bucket)) {
    const bucketEnd = timeframe.nextBucketStart(bucket);
    const kind: BucketKind = !expected(bucket, bucketEnd) ? 'closed' : stored.has(bucket) ? 'stored' : 'missing';
    const fetched = kind === 'missing' && covered.some((r) => r.start <= bucket && bucketEnd <= r.end);
    if (kind !== 'closed') expectedBars++;
    if (kind === 'stored') storedBars++;
    const continues = previous !== undefined && previous.kind === kind && previous.fetched === fetched;
    if (kind === 'missing') {
      if (continues) {
        const last = gaps[gaps.length - 1];
        last.end = bucketEnd;
        last.bars++;
      } else gaps.push({ start: bucket, end: bucketEnd, bars: 1, fetched });
    } else if (kind === 'closed') {
      if (continues) closed[closed.length - 1].end = bucketEnd;
      else closed.push({ start: bucket, end: bucketEnd });
    }
    previous = { kind, fetched };
  }
  return {
    symbol,
    timeframe,
    session,
    start: input.start,
    end: input.end,
    expectedBars,
    storedBars,
    missingBars: expectedBars - storedBars,
    gaps,
    closed,
  };
}

/** Number of buckets whose start lies in [start, end): what a report would walk. */
export function bucketCount(timeframe: Timeframe, start: number, end: number): number {
  return Math.max(0, Math.ceil((end - timeframe.firstBucketAtOrAfter(start)) / timeframe.durationMs));
}

/** Whether the calendar expects a bar for a bucket. Intraday from one pass over the calendar; day and week per bucket. */
function expectedBuckets(input: GapInput): (bucket: number, bucketEnd: number) => boolean {
  const { symbol, timeframe, session } = input;
  if (timeframe.isIntraday) {
    const starts = new Set(expectedBarStarts(symbol, timeframe.durationMs, new Date(input.start), new Date(input.end), session));
    return (bucket) => starts.has(bucket);
  }
  return (bucket, bucketEnd) => tradingWindows(symbol, new Date(bucket), new Date(bucketEnd), session).length > 0;
}
