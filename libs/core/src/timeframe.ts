import { newYorkDayStart, newYorkWeekStart } from './new-york-time';
import { HOUR_MS, MINUTE_MS } from './time';

export const TIMEFRAME_VALUES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'] as const;
export type TimeframeValue = (typeof TIMEFRAME_VALUES)[number];

export type PolygonTimespan = 'minute' | 'hour' | 'day' | 'week';

export interface PolygonRange {
  multiplier: number;
  timespan: PolygonTimespan;
}

interface TimeframeSpec {
  durationMs: number;
  polygon: PolygonRange;
  /** SQL interval literal, for date_bin/time_bucket. */
  sqlInterval: string;
}

const SPECS: Record<TimeframeValue, TimeframeSpec> = {
  '1m': { durationMs: MINUTE_MS, polygon: { multiplier: 1, timespan: 'minute' }, sqlInterval: '1 minute' },
  '5m': { durationMs: 5 * MINUTE_MS, polygon: { multiplier: 5, timespan: 'minute' }, sqlInterval: '5 minutes' },
  '15m': { durationMs: 15 * MINUTE_MS, polygon: { multiplier: 15, timespan: 'minute' }, sqlInterval: '15 minutes' },
  '30m': { durationMs: 30 * MINUTE_MS, polygon: { multiplier: 30, timespan: 'minute' }, sqlInterval: '30 minutes' },
  '1h': { durationMs: 60 * MINUTE_MS, polygon: { multiplier: 1, timespan: 'hour' }, sqlInterval: '1 hour' },
  '4h': { durationMs: 240 * MINUTE_MS, polygon: { multiplier: 4, timespan: 'hour' }, sqlInterval: '4 hours' },
  '1d': { durationMs: 1440 * MINUTE_MS, polygon: { multiplier: 1, timespan: 'day' }, sqlInterval: '1 day' },
  '1w': { durationMs: 10080 * MINUTE_MS, polygon: { multiplier: 1, timespan: 'week' }, sqlInterval: '7 days' },
};

export class InvalidTimeframeError extends Error {
  constructor(
    readonly input: string,
    readonly allowed: readonly string[],
  ) {
    super(`"${input}" is not a supported timeframe; use one of ${allowed.join(', ')}`);
  }
}

/**
 * The one place that knows what a timeframe string means: its duration, the Polygon
 * request parameters, and where its buckets start (intraday on the UTC clock, day at
 * 00:00 America/New_York, week at Sunday 00:00 America/New_York, as the provider does).
 */
export class Timeframe {
  private static readonly instances = new Map<TimeframeValue, Timeframe>(TIMEFRAME_VALUES.map((value) => [value, new Timeframe(value)]));

  private constructor(readonly value: TimeframeValue) {}

  static isValue(input: string): input is TimeframeValue {
    return (TIMEFRAME_VALUES as readonly string[]).includes(input);
  }

  /** Parses a timeframe string; throws InvalidTimeframeError listing `allowed`. */
  static parse(input: string, allowed: readonly string[] = TIMEFRAME_VALUES): Timeframe {
    const trimmed = input.trim();
    if (!Timeframe.isValue(trimmed) || !allowed.includes(trimmed)) throw new InvalidTimeframeError(input, allowed);
    return Timeframe.of(trimmed);
  }

  static of(value: TimeframeValue): Timeframe {
    return Timeframe.instances.get(value)!;
  }

  static all(): Timeframe[] {
    return [...Timeframe.instances.values()];
  }

  /** Nominal duration; day and week buckets can be an hour shorter or longer across DST. */
  get durationMs(): number {
    return SPECS[this.value].durationMs;
  }

  get polygon(): PolygonRange {
    return { ...SPECS[this.value].polygon };
  }

  get sqlInterval(): string {
    return SPECS[this.value].sqlInterval;
  }

  /** Intraday buckets are fixed-width on the UTC clock; day and week follow New York's calendar. */
  get isIntraday(): boolean {
    return this.durationMs < SPECS['1d'].durationMs;
  }

  /** Start (UTC ms) of the bucket that holds `utcMs`. */
  bucketStart(utcMs: number): number {
    if (this.value === '1d') return newYorkDayStart(utcMs);
    if (this.value === '1w') return newYorkWeekStart(utcMs);
    return Math.floor(utcMs / this.durationMs) * this.durationMs;
  }

  /** Start (UTC ms) of the bucket after the one that holds `utcMs`. */
  nextBucketStart(utcMs: number): number {
    const start = this.bucketStart(utcMs);
    // Adding the nominal width plus slack then re-aligning absorbs 23h/25h DST days.
    return this.isIntraday ? start + this.durationMs : this.bucketStart(start + this.durationMs + 2 * HOUR_MS);
  }

  isBucketStart(utcMs: number): boolean {
    return this.bucketStart(utcMs) === utcMs;
  }

  /** Start of the first bucket at or after `utcMs`: bars START in a half-open range. */
  firstBucketAtOrAfter(utcMs: number): number {
    return this.isBucketStart(utcMs) ? utcMs : this.nextBucketStart(utcMs);
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
