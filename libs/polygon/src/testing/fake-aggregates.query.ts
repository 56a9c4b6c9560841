import { DAY_MS, HOUR_MS, MINUTE_MS, Timeframe, newYorkDayStart, newYorkOffsetMs, newYorkWallToUtc } from '@app/core';
import type { FakeMarket } from './fake-market';
import { WireBar, aggregateBars } from './wire-bar';

const DAY = Timeframe.of('1d');
/** Sunday 2000-01-02 as a New York day number: where runs of several days (and weeks) are counted from. */
const SUNDAY_ORIGIN_DAY = Date.UTC(2000, 0, 2) / DAY_MS;

export const FAKE_TIMESPANS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type FakeTimespan = (typeof FAKE_TIMESPANS)[number];

export interface AggregatesQuery {
  ticker: string;
  multiplier: number;
  timespan: FakeTimespan;
  /** Inclusive instants, as given (the query snaps them to bar boundaries). */
  from: number;
  to: number;
  adjusted: boolean;
  sort: 'asc' | 'desc';
  /** Base aggregates to read at most. */
  limit: number;
  /** true: stop before the bar that would pass the limit and say where to go on; false: cut silently at the limit. */
  paginate: boolean;
}

export interface AggregatesAnswer {
  results: WireBar[];
  /** Base aggregates read. */
  queryCount: number;
  /** Where the next page starts (asc: its `from`; desc: its `to`), when there is one. */
  continueAt?: { from?: number; to?: number };
}

interface Buckets {
  of(t: number): number;
  next(bucketStart: number): number;
  /** true: day bars are the base; false: minute bars. */
  dayBase: boolean;
  /** Output bars are the base bars themselves (1 minute, 1 day). */
  identity: boolean;
}

/** The end (exclusive) of the range the query covers once `to` is snapped up to its bar's end. */
export function snappedEnd(query: AggregatesQuery): number {
  const buckets = bucketsOf(query.multiplier, query.timespan);
  return buckets.next(buckets.of(query.to));
}

/**
 * GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to} on the fake market:
 * `from` snaps down to its bar's start and `to` up to its bar's end; `limit` counts BASE
 * aggregates (minute bars for minute and hour, day bars for day and longer).
 */
export function answerAggregates(market: FakeMarket, query: AggregatesQuery): AggregatesAnswer {
  const buckets = bucketsOf(query.multiplier, query.timespan);
  const start = buckets.of(query.from);
  const end = buckets.next(buckets.of(query.to));
  if (start >= end) return { results: [], queryCount: 0 };
  const base = buckets.dayBase
    ? dayBars(market, query.ticker, start, end, query.adjusted, query.sort)
    : minuteBars(market, query.ticker, start, end, query.adjusted, query.sort);
  const answer = collect(base, buckets, query.limit, query.paginate);
  if (answer.stoppedAt === undefined) return { results: answer.results, queryCount: answer.queryCount };
  const continueAt = query.sort === 'asc' ? { from: answer.stoppedAt } : { to: buckets.next(answer.stoppedAt) - 1 };
  return { results: answer.results, queryCount: answer.queryCount, continueAt };
}

/**
 * Where bars start. Minutes and hours: the UTC clock. Days and weeks: New York days, in runs of
 * `multiplier` (x 7) days counted from Sunday 2000-01-02 (so weeks start on Sunday). Months,
 * quarters, years: 00:00 New York on the 1st, in runs of months counted from January of year 0.
 */
function bucketsOf(multiplier: number, timespan: FakeTimespan): Buckets {
  if (timespan === 'minute' || timespan === 'hour') {
    const width = multiplier * (timespan === 'minute' ? MINUTE_MS : HOUR_MS);
    return { of: (t) => Math.floor(t / width) * width, next: (b) => b + width, dayBase: false, identity: width === MINUTE_MS };
  }
  if (timespan === 'day' || timespan === 'week') {
    const days = multiplier * (timespan === 'week' ? 7 : 1);
    const of = (t: number): number =>
      newYorkWallToUtc((SUNDAY_ORIGIN_DAY + Math.floor((wallDay(t) - SUNDAY_ORIGIN_DAY) / days) * days) * DAY_MS);
    return { of, next: (b) => newYorkWallToUtc((wallDay(b) + days) * DAY_MS), dayBase: true, identity: days === 1 };
  }
  const months = multiplier * (timespan === 'year' ? 12 : timespan === 'quarter' ? 3 : 1);
  const monthOf = (t: number): number => {
    const wall = new Date(t + newYorkOffsetMs(t));
    return wall.getUTCFullYear() * 12 + wall.getUTCMonth();
  };
  return {
    of: (t) => monthStart(Math.floor(monthOf(t) / months) * months),
    next: (b) => monthStart(monthOf(b) + months),
    dayBase: true,
    identity: false,
  };
}

function wallDay(t: number): number {
  return Math.floor((t + newYorkOffsetMs(t)) / DAY_MS);
}

function monthStart(month: number): number {
  const wall = new Date(0);
  wall.setUTCFullYear(Math.floor(month / 12), month % 12, 1);
  return newYorkWallToUtc(wall.getTime());
}

function* minuteBars(
  market: FakeMarket,
  ticker: string,
  start: number,
  end: number,
  adjusted: boolean,
  sort: 'asc' | 'desc',
): Generator<WireBar> {
  // One UTC day at a time, so a page of 50000 never generates the whole range behind it.
  const firstDay = Math.floor(start / DAY_MS) * DAY_MS;
  const lastDay = Math.floor((end - 1) / DAY_MS) * DAY_MS;
  if (sort === 'asc') {
    for (let day = firstDay; day <= lastDay; day += DAY_MS)
      yield* market.minuteBars(ticker, Math.max(start, day), Math.min(end, day + DAY_MS), adjusted);
  } else {
    for (let day = lastDay; day >= firstDay; day -= DAY_MS) {
      yield* market.minuteBars(ticker, Math.max(start, day), Math.min(end, day + DAY_MS), adjusted).reverse();
    }
  }
}

function* dayBars(
  market: FakeMarket,
  ticker: string,
  start: number,
  end: number,
  adjusted: boolean,
  sort: 'asc' | 'desc',
): Generator<WireBar> {
  if (sort === 'asc') {
    for (let day = start; day < end; day = DAY.nextBucketStart(day)) {
      const bar = market.dayBar(ticker, day, adjusted);
      if (bar) yield bar;
    }
  } else {
    for (let day = newYorkDayStart(end - 1); day >= start; day = newYorkDayStart(day - 1)) {
      const bar = market.dayBar(ticker, day, adjusted);
      if (bar) yield bar;
    }
  }
}

/**
 * Groups base bars (in request order) into output bars. Paginating, it stops before the
 * bar whose base aggregates would pass the limit (a bar is never split across pages).
 * Cutting silently, it stops at exactly `limit` base bars, last output bar partial.
 */
function collect(
  base: Iterable<WireBar>,
  buckets: Buckets,
  limit: number,
  paginate: boolean,
): { results: WireBar[]; queryCount: number; stoppedAt?: number } {
  const results: WireBar[] = [];
  let queryCount = 0;
  let group: WireBar[] = [];
  let groupBucket = NaN;
  const flush = (): void => {
    const ascending = group[0].t <= group[group.length - 1].t ? group : [...group].reverse();
    results.push(buckets.identity && group.length === 1 ? group[0] : aggregateBars(ascending, groupBucket));
    queryCount += group.length;
    group = [];
  };
  for (const bar of base) {
    const bucket = buckets.of(bar.t);
    if (group.length && bucket !== groupBucket) {
      if (paginate && results.length > 0 && queryCount + group.length > limit) return { results, queryCount, stoppedAt: groupBucket };
      flush();
    }
    if (!paginate && queryCount + group.length >= limit) {
      if (group.length) flush();
      return { results, queryCount };
    }
    group.push(bar);
    groupBucket = bucket;
  }
  if (group.length) {
    if (paginate && results.length > 0 && queryCount + group.length > limit) return { results, queryCount, stoppedAt: groupBucket };
    flush();
  }
  return { results, queryCount };
}
