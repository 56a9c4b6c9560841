import { formatDuration, formatTimeframeDurations, parseDuration, parseTimeframeDurations } from './timeframe-duration-map';

const DAY = 86_400_000;
const DEFAULTS = {
  '1m': 30 * DAY,
  '5m': 90 * DAY,
  '15m': DAY,
  '30m': DAY,
  '1h': DAY,
  '4h': DAY,
  '1d': 5 * 365 * DAY,
  '1w': 10 * 365 * DAY,
};

describe('timeframe duration maps', () => {
  it('parses durations in s, m, h, d, w and y', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('6h')).toBe(6 * 3_600_000);
    expect(parseDuration('30d')).toBe(30 * DAY);
    expect(parseDuration('2w')).toBe(14 * DAY);
    expect(parseDuration('5y')).toBe(5 * 365 * DAY);
    expect(() => parseDuration('0d')).toThrow('"0d" is not a duration');
    expect(() => parseDuration('3 months')).toThrow(RangeError);
  });

  it('keeps defaults for timeframes left out and overrides the ones given', () => {
    const parsed = parseTimeframeDurations(' 1m:90d , 1w:20y', DEFAULTS);
    expect(parsed['1m']).toBe(90 * DAY);
    expect(parsed['1w']).toBe(20 * 365 * DAY);
    expect(parsed['5m']).toBe(DEFAULTS['5m']);
    expect(parseTimeframeDurations(undefined, DEFAULTS)).toEqual(DEFAULTS);
  });

  it('names the bad item', () => {
    expect(() => parseTimeframeDurations('2h:30d', DEFAULTS)).toThrow('names "2h", not a timeframe');
    expect(() => parseTimeframeDurations('1m=30d', DEFAULTS)).toThrow('got "1m=30d"');
    expect(() => parseTimeframeDurations('1m:30d,1m:60d', DEFAULTS)).toThrow('lists 1m twice');
  });

  it('formats back to the shortest exact unit, in timeframe order', () => {
    expect(formatDuration(30 * DAY)).toBe('30d');
    expect(formatDuration(14 * DAY)).toBe('2w');
    expect(formatDuration(365 * DAY)).toBe('1y');
    expect(parseTimeframeDurations(formatTimeframeDurations(DEFAULTS), DEFAULTS)).toEqual(DEFAULTS);
  });
});
