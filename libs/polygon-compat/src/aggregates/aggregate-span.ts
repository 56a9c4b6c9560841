import { DAY_MS, HOUR_MS, MINUTE_MS, newYorkOffsetMs, newYorkWallToUtc, Timeframe, type TimeframeValue } from '@app/core';

/** Every timespan the provider knows; `second` is refused here (no second bars are stored). */
export const POLYGON_TIMESPANS = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type PolygonTimespan = (typeof POLYGON_TIMESPANS)[number];
export type ServedTimespan = Exclude<PolygonTimespan, 'second'>;
export const SERVED_TIMESPANS: readonly ServedTimespan[] = POLYGON_TIMESPANS.filter(
  (timespan): timespan is ServedTimespan => timespan !== 'second',
);

/** The bars a span is built from, as the provider counts `limit`: minute bars up to hours, day bars above. */
export type BaseTimeframe = '1m' | '1d';

/** The largest multiplier served: 100,000 minutes is 69 days, 100,000 months 8,333 years. */
export const MAX_MULTIPLIER = 100_000;

/** Sunday 2000-01-02 as a New York wall-clock day number: the origin of day and week bins (as derived-candle.sql). */
const SUNDAY_ORIGIN_DAY = Date.UTC(2000, 0, 2) / DAY_MS;

/** The intraday stored timeframes by bar width. */
const STORED_INTRADAY: ReadonlyMap<number, TimeframeValue> = new Map(
  Timeframe.all()
    .filter((frame) => frame.isIntraday)
    .map((frame) => [frame.durationMs, frame.value]),
);

type Bins = { kind: 'clock'; widthMs: number } | { kind: 'days'; widthDays: number } | { kind: 'months'; widthMonths: number };

/**
 * One `{multiplier}/{timespan}` of the aggregates route: where its bars start, what they are
 * built from, and which stored timeframe (if any) it is. Bar time = window start, as the provider:
 * minutes and hours on the UTC clock (epoch aligned); days and weeks in New York wall-clock days
 * counted from Sunday 2000-01-02 (so 1 week starts on Sunday, 2 days are fixed pairs of days);
 * months, quarters and years at 00:00 New York on the 1st, months counted from January of year 0.
 */
export class AggregateSpan {
  private constructor(
    readonly multiplier: number,
    readonly timespan: ServedTimespan,
    private readonly bins: Bins,
  ) {}

  static of(multiplier: number, timespan: ServedTimespan): AggregateSpan {
    switch (timespan) {
      case 'minute':
        return new AggregateSpan(multiplier, timespan, { kind: 'clock', widthMs: multiplier * MINUTE_MS });
      case 'hour':
        return new AggregateSpan(multiplier, timespan, { kind: 'clock', widthMs: multiplier * HOUR_MS });
      case 'day':
        return new AggregateSpan(multiplier, timespan, { kind: 'days', widthDays: multiplier });
      case 'week':
        return new AggregateSpan(multiplier, timespan, { kind: 'days', widthDays: 7 * multiplier });
      case 'month':
        return new AggregateSpan(multiplier, timespan, { kind: 'months', widthMonths: multiplier });
      case 'quarter':
        return new AggregateSpan(multiplier, timespan, { kind: 'months', widthMonths: 3 * multiplier });
      case 'year':
        return new AggregateSpan(multiplier, timespan, { kind: 'months', widthMonths: 12 * multiplier });
    }
  }

  get base(): BaseTimeframe {
    return this.bins.kind === 'clock' ? '1m' : '1d';
  }

  /** The stored timeframe this span is (1/minute = 1m, 60/minute = 1h, 7/day = 1w...), if any. */
  get storedTimeframe(): TimeframeValue | undefined {
    const bins = this.bins;
    if (bins.kind === 'clock') return STORED_INTRADAY.get(bins.widthMs);
    if (bins.kind === 'days') return bins.widthDays === 1 ? '1d' : bins.widthDays === 7 ? '1w' : undefined;
    return undefined;
  }

  /** Its bars are the base bars themselves (1m, 1d). */
  get isBase(): boolean {
    return this.storedTimeframe === this.base;
  }

  /** The most base bars one of its bars can hold: how a stored bar counts against `limit` when its base bars are not stored. */
  get nominalBaseBars(): number {
    const bins = this.bins;
    if (bins.kind === 'clock') return bins.widthMs / MINUTE_MS;
    if (bins.kind === 'days') return bins.widthDays;
    return Math.ceil(bins.widthMonths * 31);
  }

  /** `1/minute`, for messages. */
  toString(): string {
    return `${this.multiplier}/${this.timespan}`;
  }

  /** Start (UTC ms) of the bar holding `utcMs`. */
  bucketStart(utcMs: number): number {
    const bins = this.bins;
    switch (bins.kind) {
      case 'clock':
        return Math.floor(utcMs / bins.widthMs) * bins.widthMs;
      case 'days': {
        const bin = SUNDAY_ORIGIN_DAY + Math.floor((wallDay(utcMs) - SUNDAY_ORIGIN_DAY) / bins.widthDays) * bins.widthDays;
        return newYorkWallToUtc(bin * DAY_MS);
      }
      case 'months': {
        const wall = new Date(utcMs + newYorkOffsetMs(utcMs));
        const month = wall.getUTCFullYear() * 12 + wall.getUTCMonth();
        return monthStart(Math.floor(month / bins.widthMonths) * bins.widthMonths);
      }
    }
  }

  /** Start (UTC ms) of the bar after the one starting at (or holding) `utcMs`. */
  nextBucketStart(utcMs: number): number {
    const start = this.bucketStart(utcMs);
    const bins = this.bins;
    switch (bins.kind) {
      case 'clock':
        return start + bins.widthMs;
      case 'days':
        return newYorkWallToUtc((wallDay(start) + bins.widthDays) * DAY_MS);
      case 'months': {
        const wall = new Date(start + newYorkOffsetMs(start));
        return monthStart(wall.getUTCFullYear() * 12 + wall.getUTCMonth() + bins.widthMonths);
      }
    }
  }
}

/** The New York calendar day holding `utcMs`, as days since 1970-01-01. */
function wallDay(utcMs: number): number {
  return Math.floor((utcMs + newYorkOffsetMs(utcMs)) / DAY_MS);
}

/** 00:00 New York on the 1st of month number `month` (year * 12 + month index). */
function monthStart(month: number): number {
  const wall = new Date(0);
  wall.setUTCFullYear(Math.floor(month / 12), ((month % 12) + 12) % 12, 1);
  return newYorkWallToUtc(wall.getTime());
}
