import { assetClassOf, newYorkOffsetMs, newYorkWallToUtc, type TimeRange } from '@app/core';
import { tradingWindows, type SessionKind, type TradingWindow } from '@app/calendar';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Regular-session minutes are counted in two halves split at 13:00 New York, the early-close time. */
const SPLIT_WALL_MS = 13 * 3_600_000;

/** 1m bars behind one derived bucket, as both the aggregates and the query-time rollup count them. */
export interface MinuteTally {
  minuteBars: number;
  /** 1m bars stamped 09:30-13:00 New York. */
  regularMorningBars: number;
  /** 1m bars stamped 13:00-16:00 New York. */
  regularAfternoonBars: number;
}

export interface BucketToJudge {
  symbol: string;
  session: SessionKind;
  start: number;
  /** Exclusive: the next bucket's start. */
  end: number;
  tally: MinuteTally;
  asOf: number;
  /** Start of the symbol's newest stored 1m bar anywhere, or null when it has none. */
  newestMinuteBar: number | null;
}

/** A regular session with the instant of 13:00 New York on its day. */
interface SplitSession extends TimeRange {
  split: number;
}

/**
 * The completeness rule. A derived bucket is complete when its window has ended AND:
 *
 * - US stocks: every regular-session minute the calendar expects in the bucket has a 1m bar
 *   (counted per half, before and after 13:00 New York, so on early-close days after-hours
 *   bars cannot stand in for missing regular ones). Pre- and post-market minutes are not
 *   counted: illiquid minutes legitimately have no 1m bar at the provider, so demanding all
 *   960 extended minutes would flag nearly every bucket. For the extended session the 1m
 *   feed must also have reached the bucket's last extended minute (a stored 1m bar at or
 *   after it), so a day whose after-hours are not yet ingested is not final.
 * - Other asset classes (crypto 24/7, forex, indices): at least one 1m bar per minute the
 *   market is open in the bucket.
 *
 * Thinly traded symbols will therefore show complete-looking buckets as incomplete: the flag
 * errs towards "may change", never towards "final".
 *
 * Built once per range: the calendar is asked once, then each bucket is judged by arithmetic
 * over the sorted session windows.
 */
export class BucketCompleteness {
  private readonly isStock: boolean;
  private readonly regular: SplitSession[];
  /** Stocks: extended sessions. Others: whenever the market is open. */
  private readonly open: TimeRange[];

  constructor(
    symbol: string,
    private readonly session: SessionKind,
    /** The span of every bucket to judge. */
    range: TimeRange,
    private readonly asOf: number,
    private readonly newestMinuteBar: number | null,
  ) {
    this.isStock = assetClassOf(symbol) === 'stocks';
    const from = new Date(range.start);
    const to = new Date(range.end);
    this.regular = this.isStock ? spansOf(tradingWindows(symbol, from, to, 'regular')).map(withSplit) : [];
    this.open = spansOf(tradingWindows(symbol, from, to, this.isStock ? 'extended' : session));
  }

  isComplete(start: number, end: number, tally: MinuteTally): boolean {
    if (this.asOf < end) return false;
    if (!this.isStock) return tally.minuteBars >= minutesWithin(this.open, start, end);
    const expected = regularMinutesByHalf(this.regular, start, end);
    if (tally.regularMorningBars < expected.morning || tally.regularAfternoonBars < expected.afternoon) return false;
    if (this.session === 'regular') return true;
    const lastOpenMinute = lastMinuteWithin(this.open, start, end);
    return lastOpenMinute === null || (this.newestMinuteBar !== null && this.newestMinuteBar >= lastOpenMinute);
  }
}

/** The rule for a single bucket (see BucketCompleteness). */
export function isBucketComplete(bucket: BucketToJudge): boolean {
  const judge = new BucketCompleteness(bucket.symbol, bucket.session, bucket, bucket.asOf, bucket.newestMinuteBar);
  return judge.isComplete(bucket.start, bucket.end, bucket.tally);
}

/** Expected regular minutes in [start, end), before and after 13:00 New York on each session's day. */
export function regularMinutesByHalf(
  sessions: readonly SplitSession[],
  start: number,
  end: number,
): { morning: number; afternoon: number } {
  let morning = 0;
  let afternoon = 0;
  for (const session of overlapping(sessions, start, end)) {
    const from = Math.max(session.start, start);
    const to = Math.min(session.end, end);
    morning += Math.max(0, Math.min(to, session.split) - from) / MINUTE_MS;
    afternoon += Math.max(0, to - Math.max(from, session.split)) / MINUTE_MS;
  }
  return { morning, afternoon };
}

export function withSplit(span: TimeRange): SplitSession {
  const wallMidnight = Math.floor((span.start + newYorkOffsetMs(span.start)) / DAY_MS) * DAY_MS;
  return { ...span, split: newYorkWallToUtc(wallMidnight + SPLIT_WALL_MS) };
}

export function spansOf(windows: readonly TradingWindow[]): TimeRange[] {
  return windows.map((window) => ({ start: window.start.getTime(), end: window.end.getTime() }));
}

function minutesWithin(spans: readonly TimeRange[], start: number, end: number): number {
  let minutes = 0;
  for (const span of overlapping(spans, start, end)) minutes += (Math.min(span.end, end) - Math.max(span.start, start)) / MINUTE_MS;
  return minutes;
}

function lastMinuteWithin(spans: readonly TimeRange[], start: number, end: number): number | null {
  let last: number | null = null;
  for (const span of overlapping(spans, start, end)) last = Math.min(span.end, end) - MINUTE_MS;
  return last;
}

/** Spans (sorted, disjoint) that overlap [start, end), found by binary search. */
function* overlapping<T extends TimeRange>(spans: readonly T[], start: number, end: number): Generator<T> {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (spans[middle].end <= start) low = middle + 1;
    else high = middle;
  }
  for (let i = low; i < spans.length && spans[i].start < end; i++) yield spans[i];
}
