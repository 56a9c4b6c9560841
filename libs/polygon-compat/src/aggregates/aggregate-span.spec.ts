import { Timeframe } from '@app/core';
import { AggregateSpan } from './aggregate-span';

const ny = (text: string): number => Date.parse(text);

describe('AggregateSpan', () => {
  it('names the stored timeframe a span is, and what it is built from', () => {
    const cases: [number, 'minute' | 'hour' | 'day' | 'week' | 'month', string | undefined, string, boolean][] = [
      [1, 'minute', '1m', '1m', true],
      [5, 'minute', '5m', '1m', false],
      [60, 'minute', '1h', '1m', false],
      [2, 'minute', undefined, '1m', false],
      [4, 'hour', '4h', '1m', false],
      [3, 'hour', undefined, '1m', false],
      [1, 'day', '1d', '1d', true],
      [7, 'day', '1w', '1d', false],
      [1, 'week', '1w', '1d', false],
      [2, 'week', undefined, '1d', false],
      [1, 'month', undefined, '1d', false],
    ];
    for (const [multiplier, timespan, stored, base, isBase] of cases) {
      const span = AggregateSpan.of(multiplier, timespan);
      expect([span.toString(), span.storedTimeframe, span.base, span.isBase]).toEqual([`${multiplier}/${timespan}`, stored, base, isBase]);
    }
  });

  it('puts minute and hour bars on the UTC clock', () => {
    const span = AggregateSpan.of(7, 'minute');
    const t = Date.UTC(2024, 2, 10, 14, 33, 20);
    const start = span.bucketStart(t);
    expect(start % (7 * 60_000)).toBe(0);
    expect(start <= t && t < span.nextBucketStart(t)).toBe(true);
    expect(AggregateSpan.of(3, 'hour').bucketStart(Date.UTC(2024, 0, 1, 5, 59))).toBe(Date.UTC(2024, 0, 1, 3));
  });

  it('agrees with the stored timeframes on day and week starts, across both DST changes', () => {
    const day = AggregateSpan.of(1, 'day');
    const week = AggregateSpan.of(1, 'week');
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 3_600_000 * 7) {
      expect(day.bucketStart(t)).toBe(Timeframe.of('1d').bucketStart(t));
      expect(day.nextBucketStart(t)).toBe(Timeframe.of('1d').nextBucketStart(t));
      expect(week.bucketStart(t)).toBe(Timeframe.of('1w').bucketStart(t));
      expect(week.nextBucketStart(t)).toBe(Timeframe.of('1w').nextBucketStart(t));
    }
    // 2024-03-10 (spring forward) is 23 hours long, 2024-11-03 25.
    expect(day.nextBucketStart(ny('2024-03-10T05:00:00Z')) - ny('2024-03-10T05:00:00Z')).toBe(23 * 3_600_000);
    expect(day.nextBucketStart(ny('2024-11-03T04:00:00Z')) - ny('2024-11-03T04:00:00Z')).toBe(25 * 3_600_000);
  });

  it('starts months, quarters and years at 00:00 New York on the 1st', () => {
    const t = ny('2024-05-17T15:00:00Z');
    expect(AggregateSpan.of(1, 'month').bucketStart(t)).toBe(ny('2024-05-01T04:00:00Z'));
    expect(AggregateSpan.of(1, 'month').nextBucketStart(t)).toBe(ny('2024-06-01T04:00:00Z'));
    expect(AggregateSpan.of(1, 'quarter').bucketStart(t)).toBe(ny('2024-04-01T04:00:00Z'));
    expect(AggregateSpan.of(1, 'quarter').nextBucketStart(t)).toBe(ny('2024-07-01T04:00:00Z'));
    expect(AggregateSpan.of(1, 'year').bucketStart(t)).toBe(ny('2024-01-01T05:00:00Z'));
    expect(AggregateSpan.of(1, 'year').nextBucketStart(t)).toBe(ny('2025-01-01T05:00:00Z'));
    // 23:30 New York on Jan 31 is already Feb 1 in UTC, still January in New York.
    expect(AggregateSpan.of(1, 'month').bucketStart(ny('2024-02-01T04:30:00Z'))).toBe(ny('2024-01-01T05:00:00Z'));
  });

  it('bins several days as fixed New York days from Sunday 2000-01-02', () => {
    const twoDays = AggregateSpan.of(2, 'day');
    // 2000-01-02 (Sunday) starts a pair; so does every second day after it: 2024-01-07 is 8771 days later (odd).
    expect(twoDays.bucketStart(ny('2000-01-03T12:00:00Z'))).toBe(ny('2000-01-02T05:00:00Z'));
    expect(twoDays.bucketStart(ny('2024-01-07T12:00:00Z'))).toBe(ny('2024-01-06T05:00:00Z'));
    expect(twoDays.nextBucketStart(ny('2024-01-07T12:00:00Z'))).toBe(ny('2024-01-08T05:00:00Z'));
  });

  it('tiles time: every bucket ends where the next begins', () => {
    for (const span of [
      AggregateSpan.of(3, 'day'),
      AggregateSpan.of(2, 'week'),
      AggregateSpan.of(2, 'month'),
      AggregateSpan.of(90, 'minute'),
    ]) {
      let bucket = span.bucketStart(Date.UTC(2023, 10, 1));
      for (let i = 0; i < 40; i++) {
        const next = span.nextBucketStart(bucket);
        expect(next).toBeGreaterThan(bucket);
        expect(span.bucketStart(next - 1)).toBe(bucket);
        expect(span.bucketStart(next)).toBe(next);
        bucket = next;
      }
    }
  });
});
