import type { Candle, SortOrder } from '@app/core';
import { type WireAggregate, combine, wireOf } from './aggregate-bar';
import type { AggregateSpan } from './aggregate-span';

/** Bars whose start lies in [start, end), in `order`, at most `limit`. */
export interface ReadRange {
  start: number;
  end: number;
  limit: number;
  order: SortOrder;
}

/** One series of bars (base bars, or the stored bars of the span's own timeframe). */
export interface BarReader {
  read(range: ReadRange): Promise<Candle[]>;
}

export interface AggregatePageQuery {
  span: AggregateSpan;
  /** Bucket-aligned [start, end): `from` snapped down to its bar's start, `to` up to its bar's end. */
  start: number;
  end: number;
  sort: SortOrder;
  /** Base bars one page may be made of (the provider's `limit`). */
  limit: number;
  /** The bars the provider counts: 1m for minute and hour spans, 1d for day and longer. */
  base: BarReader;
  /** Stored bars of the timeframe the span is (5m, 1h, 1w...), served in place of bars combined from base bars. */
  stored?: BarReader;
}

export interface AggregatePage {
  results: WireAggregate[];
  /** Base bars the page is made of. */
  queryCount: number;
  /** Start of the first bar of the next page, when there is one. */
  continueAt?: number;
}

/** Base bars read for one bucket that alone passes the limit (a year of days, 69 days of minutes). */
const MAX_BUCKET_BARS = 200_000;

interface Group {
  bucket: number;
  /** In read order. */
  bars: Candle[];
}

/**
 * One page of the aggregates route, paged as the provider pages: `limit` counts base bars, a page
 * holds whole bars only, it ends before the bar whose base bars would pass the limit (but always
 * holds at least one bar), and the next page starts at that bar. Reading `limit + 1` base bars
 * decides all of it: the bar holding the last one is where the next page starts.
 */
export async function collectAggregatePage(query: AggregatePageQuery): Promise<AggregatePage> {
  const { span, start, end, sort, limit, base } = query;
  if (start >= end) return { results: [], queryCount: 0 };
  const bars = await base.read({ start, end, limit: limit + 1, order: sort });
  if (bars.length === 0) return query.stored ? storedOnlyPage(query, query.stored) : { results: [], queryCount: 0 };
  let groups = groupByBucket(bars, span);
  let continueAt: number | undefined;
  if (bars.length > limit) {
    if (groups.length > 1) continueAt = groups.pop()!.bucket;
    else ({ groups, continueAt } = await wholeFirstBucket(query, groups[0].bucket));
  }
  if (query.stored) return overlayStored(query, query.stored, groups, continueAt);
  return { results: groups.map((group) => wireOfGroup(group, query)), queryCount: countOf(groups), continueAt };
}

/** The first bar alone passes the limit: it is the page, read whole; the next page starts at whatever follows it. */
async function wholeFirstBucket(query: AggregatePageQuery, bucket: number): Promise<{ groups: Group[]; continueAt?: number }> {
  const { span, start, end, sort, base } = query;
  const whole = { start: Math.max(start, bucket), end: Math.min(end, span.nextBucketStart(bucket)) };
  const groups = groupByBucket(await base.read({ ...whole, limit: MAX_BUCKET_BARS, order: sort }), span);
  const rest = sort === 'asc' ? { start: whole.end, end } : { start, end: whole.start };
  const [after] = rest.start < rest.end ? await base.read({ ...rest, limit: 1, order: sort }) : [];
  return { groups, continueAt: after ? span.bucketStart(after.time) : undefined };
}

/**
 * Stored bars of the span's timeframe replace the combined ones over the page's range, and stand
 * alone where base bars are missing (1m kept 30 days, 1h kept 2 years); at most `limit` of them.
 */
async function overlayStored(
  query: AggregatePageQuery,
  stored: BarReader,
  groups: Group[],
  continueAt: number | undefined,
): Promise<AggregatePage> {
  const { span, start, end, sort, limit } = query;
  const range =
    sort === 'asc'
      ? { start, end: continueAt ?? end }
      : { start: continueAt === undefined ? start : span.nextBucketStart(continueAt), end };
  let storedBars = await stored.read({ ...range, limit: limit + 1, order: sort });
  if (storedBars.length > limit) {
    const cut = storedBars[limit].time;
    storedBars = storedBars.slice(0, limit);
    groups = groups.filter((group) => (sort === 'asc' ? group.bucket < cut : group.bucket > cut));
    continueAt = cut;
  }
  const byTime = new Map<number, WireAggregate>();
  for (const group of groups) byTime.set(group.bucket, wireOfGroup(group, query));
  for (const bar of storedBars) byTime.set(bar.time, wireOf(bar));
  const times = [...byTime.keys()].sort((a, b) => (sort === 'asc' ? a - b : b - a));
  return { results: times.map((time) => byTime.get(time)!), queryCount: countOf(groups), continueAt };
}

/**
 * No base bars in the range at all (a store of 1h bars only): stored bars are paged alone, each
 * counted as the most base bars it could hold, so a page never holds more than the provider's would.
 */
async function storedOnlyPage(query: AggregatePageQuery, stored: BarReader): Promise<AggregatePage> {
  const { span, start, end, sort, limit } = query;
  const perPage = Math.max(1, Math.floor(limit / span.nominalBaseBars));
  const bars = await stored.read({ start, end, limit: perPage + 1, order: sort });
  const page = bars.slice(0, perPage);
  return { results: page.map((bar) => wireOf(bar)), queryCount: page.length, continueAt: bars[perPage]?.time };
}

function groupByBucket(bars: readonly Candle[], span: AggregateSpan): Group[] {
  const groups: Group[] = [];
  let current: Group | undefined;
  const isBase = span.isBase;
  for (const bar of bars) {
    const bucket = isBase ? bar.time : span.bucketStart(bar.time);
    if (current?.bucket !== bucket) groups.push((current = { bucket, bars: [] }));
    current.bars.push(bar);
  }
  return groups;
}

function wireOfGroup(group: Group, query: AggregatePageQuery): WireAggregate {
  if (group.bars.length === 1) return wireOf(group.bars[0], group.bucket);
  return combine(query.sort === 'asc' ? group.bars : [...group.bars].reverse(), group.bucket);
}

function countOf(groups: readonly Group[]): number {
  let count = 0;
  for (const group of groups) count += group.bars.length;
  return count;
}
