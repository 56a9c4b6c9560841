import { InvalidTimeframeError, TIMEFRAME_VALUES, Timeframe } from './timeframe';

const utc = (iso: string): number => Date.parse(iso);

describe('Timeframe', () => {
  it('allows 1m, mapped to Polygon multiplier 1, timespan minute', () => {
    expect(Timeframe.parse('1m').polygon).toEqual({ multiplier: 1, timespan: 'minute' });
    expect(Timeframe.parse('1m').durationMs).toBe(60_000);
  });

  it.each([
    ['5m', 5, 'minute', 300_000],
    ['15m', 15, 'minute', 900_000],
    ['30m', 30, 'minute', 1_800_000],
    ['1h', 1, 'hour', 3_600_000],
    ['4h', 4, 'hour', 14_400_000],
    ['1d', 1, 'day', 86_400_000],
    ['1w', 1, 'week', 604_800_000],
  ])('maps %s to its Polygon multiplier, timespan and duration', (value, multiplier, timespan, durationMs) => {
    const timeframe = Timeframe.parse(value);
    expect(timeframe.value).toBe(value);
    expect(timeframe.polygon).toEqual({ multiplier, timespan });
    expect(timeframe.durationMs).toBe(durationMs);
  });

  it('knows exactly the eight timeframes, smallest first', () => {
    expect(Timeframe.all().map(String)).toEqual(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w']);
    expect(TIMEFRAME_VALUES).toHaveLength(8);
  });

  it('rejects unknown strings with a message listing what is allowed', () => {
    expect(() => Timeframe.parse('2m')).toThrow(InvalidTimeframeError);
    expect(() => Timeframe.parse('1M')).toThrow('"1M" is not a supported timeframe; use one of 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w');
    expect(() => Timeframe.parse('1m', ['1h', '1d'])).toThrow('use one of 1h, 1d');
  });

  it('returns a copy of the Polygon mapping, so callers cannot corrupt it', () => {
    const range = Timeframe.parse('1h').polygon;
    range.multiplier = 99;
    expect(Timeframe.parse('1h').polygon.multiplier).toBe(1);
  });

  describe('bucket alignment', () => {
    it('aligns intraday buckets on the clock', () => {
      const t = utc('2024-01-02T14:37:42.123Z');
      expect(Timeframe.of('1m').bucketStart(t)).toBe(utc('2024-01-02T14:37:00Z'));
      expect(Timeframe.of('5m').bucketStart(t)).toBe(utc('2024-01-02T14:35:00Z'));
      expect(Timeframe.of('15m').bucketStart(t)).toBe(utc('2024-01-02T14:30:00Z'));
      expect(Timeframe.of('30m').bucketStart(t)).toBe(utc('2024-01-02T14:30:00Z'));
      expect(Timeframe.of('1h').bucketStart(t)).toBe(utc('2024-01-02T14:00:00Z'));
      expect(Timeframe.of('4h').bucketStart(t)).toBe(utc('2024-01-02T12:00:00Z'));
      expect(Timeframe.of('5m').nextBucketStart(t)).toBe(utc('2024-01-02T14:40:00Z'));
    });

    it('starts day bars at 00:00 America/New_York (the recorded Polygon AAPL bar)', () => {
      // t=1112331600000 is 2005-04-01T05:00Z in the provider's recorded response.
      expect(Timeframe.of('1d').bucketStart(utc('2005-04-01T18:00:00Z'))).toBe(1112331600000);
      expect(Timeframe.of('1d').isBucketStart(1112331600000)).toBe(true);
      // 02:00Z is still the previous New York day.
      expect(Timeframe.of('1d').bucketStart(utc('2005-04-02T02:00:00Z'))).toBe(1112331600000);
    });

    it('handles the 23-hour and 25-hour days of the DST changes', () => {
      const day = Timeframe.of('1d');
      // 2024-03-10: clocks jump forward; the day starts at 05:00Z and lasts 23 hours.
      expect(day.bucketStart(utc('2024-03-10T12:00:00Z'))).toBe(utc('2024-03-10T05:00:00Z'));
      expect(day.nextBucketStart(utc('2024-03-10T12:00:00Z'))).toBe(utc('2024-03-11T04:00:00Z'));
      // 2024-11-03: clocks fall back; the day starts at 04:00Z and lasts 25 hours.
      expect(day.bucketStart(utc('2024-11-03T12:00:00Z'))).toBe(utc('2024-11-03T04:00:00Z'));
      expect(day.nextBucketStart(utc('2024-11-03T12:00:00Z'))).toBe(utc('2024-11-04T05:00:00Z'));
      expect(day.bucketStart(utc('2024-11-04T04:30:00Z'))).toBe(utc('2024-11-03T04:00:00Z'));
    });

    it('starts week bars on Sunday 00:00 America/New_York across DST changes', () => {
      const week = Timeframe.of('1w');
      // Wednesday 2024-03-13: the week began Sunday 2024-03-10 00:00 EST = 05:00Z.
      expect(week.bucketStart(utc('2024-03-13T15:00:00Z'))).toBe(utc('2024-03-10T05:00:00Z'));
      expect(week.nextBucketStart(utc('2024-03-13T15:00:00Z'))).toBe(utc('2024-03-17T04:00:00Z'));
      // Saturday 2024-11-02 22:00 EDT is still the week of Sunday 2024-10-27 (04:00Z).
      expect(week.bucketStart(utc('2024-11-03T02:00:00Z'))).toBe(utc('2024-10-27T04:00:00Z'));
      expect(week.bucketStart(utc('2024-11-03T04:00:00Z'))).toBe(utc('2024-11-03T04:00:00Z'));
      expect(week.nextBucketStart(utc('2024-11-05T12:00:00Z'))).toBe(utc('2024-11-10T05:00:00Z'));
    });

    it('gives every timeframe consecutive, non-overlapping buckets over a DST change', () => {
      for (const timeframe of Timeframe.all()) {
        let start = timeframe.bucketStart(utc('2024-10-20T00:00:00Z'));
        for (let i = 0; i < 40; i++) {
          const next = timeframe.nextBucketStart(start);
          expect(next).toBeGreaterThan(start);
          expect(timeframe.bucketStart(next - 1)).toBe(start);
          expect(timeframe.isBucketStart(next)).toBe(true);
          start = next;
        }
      }
    });
  });
});
