import { assetClassOf } from '@app/core';
import { expectedBarStarts, isMarketOpen, tradingWindows, type TradingWindow } from './market-calendar';

const MINUTE = 60_000;
const at = (iso: string): Date => new Date(iso);
const asIso = (windows: TradingWindow[]): string[][] => windows.map(({ start, end }) => [start.toISOString(), end.toISOString()]);
const isoOf = (ms: number): string => new Date(ms).toISOString();

describe('assetClassOf', () => {
  it.each([
    ['X:BTCUSD', 'crypto'],
    ['x:ethusd', 'crypto'],
    ['C:EURUSD', 'forex'],
    ['I:SPX', 'indices'],
    ['AAPL', 'stocks'],
    ['BRK.B', 'stocks'],
    ['XC:FOO', 'stocks'],
  ])('%s is %s', (symbol, assetClass) => {
    expect(assetClassOf(symbol)).toBe(assetClass);
  });
});

describe('tradingWindows for stocks', () => {
  it('gives one extended window per trading day across the 2024-03-10 DST start', () => {
    expect(asIso(tradingWindows('AAPL', at('2024-03-08T05:00:00Z'), at('2024-03-12T04:00:00Z')))).toEqual([
      ['2024-03-08T09:00:00.000Z', '2024-03-09T01:00:00.000Z'], // 04:00-20:00 EST
      ['2024-03-11T08:00:00.000Z', '2024-03-12T00:00:00.000Z'], // 04:00-20:00 EDT
    ]);
  });

  it('gives regular windows across the 2024-11-03 DST end', () => {
    expect(asIso(tradingWindows('AAPL', at('2024-11-01T00:00:00Z'), at('2024-11-05T00:00:00Z'), 'regular'))).toEqual([
      ['2024-11-01T13:30:00.000Z', '2024-11-01T20:00:00.000Z'], // 09:30-16:00 EDT
      ['2024-11-04T14:30:00.000Z', '2024-11-04T21:00:00.000Z'], // 09:30-16:00 EST
    ]);
  });

  it('clips windows to [from, to)', () => {
    expect(asIso(tradingWindows('MSFT', at('2024-03-12T15:00:00Z'), at('2024-03-13T09:00:00Z')))).toEqual([
      ['2024-03-12T15:00:00.000Z', '2024-03-13T00:00:00.000Z'],
      ['2024-03-13T08:00:00.000Z', '2024-03-13T09:00:00.000Z'],
    ]);
  });

  it('includes the previous evening when the range starts at UTC midnight', () => {
    expect(asIso(tradingWindows('AAPL', at('2024-03-08T00:00:00Z'), at('2024-03-08T12:00:00Z')))).toEqual([
      ['2024-03-08T00:00:00.000Z', '2024-03-08T01:00:00.000Z'], // Thursday after-hours until 20:00 EST
      ['2024-03-08T09:00:00.000Z', '2024-03-08T12:00:00.000Z'],
    ]);
  });

  it('skips holidays and shortens early closes', () => {
    expect(asIso(tradingWindows('AAPL', at('2024-12-24T05:00:00Z'), at('2024-12-26T05:00:00Z')))).toEqual([
      ['2024-12-24T09:00:00.000Z', '2024-12-24T22:00:00.000Z'], // 04:00-17:00 EST, then closed on Christmas
    ]);
  });

  it('is empty for an empty or inverted range', () => {
    expect(tradingWindows('AAPL', at('2024-03-12T15:00:00Z'), at('2024-03-12T15:00:00Z'))).toEqual([]);
    expect(tradingWindows('AAPL', at('2024-03-13T15:00:00Z'), at('2024-03-12T15:00:00Z'))).toEqual([]);
  });

  it('rejects invalid dates', () => {
    expect(() => tradingWindows('AAPL', new Date(NaN), at('2024-03-12T15:00:00Z'))).toThrow(RangeError);
  });
});

describe('tradingWindows for indices', () => {
  it('follows the regular session even when extended is asked for', () => {
    expect(asIso(tradingWindows('I:SPX', at('2024-03-12T00:00:00Z'), at('2024-03-13T00:00:00Z'), 'extended'))).toEqual([
      ['2024-03-12T13:30:00.000Z', '2024-03-12T20:00:00.000Z'],
    ]);
  });
});

describe('tradingWindows for crypto', () => {
  it('is one window covering the whole range, weekends and holidays included', () => {
    expect(asIso(tradingWindows('X:BTCUSD', at('2024-12-21T00:00:00Z'), at('2024-12-27T00:00:00Z')))).toEqual([
      ['2024-12-21T00:00:00.000Z', '2024-12-27T00:00:00.000Z'],
    ]);
  });
});

describe('tradingWindows for forex', () => {
  it('closes Friday 17:00 EST and reopens Sunday 17:00 EDT around 2024-03-10', () => {
    expect(asIso(tradingWindows('C:EURUSD', at('2024-03-08T00:00:00Z'), at('2024-03-12T00:00:00Z')))).toEqual([
      ['2024-03-08T00:00:00.000Z', '2024-03-08T22:00:00.000Z'],
      ['2024-03-10T21:00:00.000Z', '2024-03-12T00:00:00.000Z'],
    ]);
  });

  it('closes Friday 17:00 EDT and reopens Sunday 17:00 EST around 2024-11-03', () => {
    expect(asIso(tradingWindows('C:EURUSD', at('2024-11-01T00:00:00Z'), at('2024-11-05T00:00:00Z')))).toEqual([
      ['2024-11-01T00:00:00.000Z', '2024-11-01T21:00:00.000Z'],
      ['2024-11-03T22:00:00.000Z', '2024-11-05T00:00:00.000Z'],
    ]);
  });

  it('gives one window per week over several weeks', () => {
    expect(tradingWindows('C:GBPUSD', at('2024-06-01T00:00:00Z'), at('2024-06-29T00:00:00Z'))).toHaveLength(4);
  });
});

describe('isMarketOpen', () => {
  it('knows the stock pre-market, regular session and early-close after-hours', () => {
    expect(isMarketOpen('AAPL', at('2024-07-05T08:00:00Z'))).toBe(true); // 04:00 EDT
    expect(isMarketOpen('AAPL', at('2024-07-05T07:59:59.999Z'))).toBe(false);
    expect(isMarketOpen('AAPL', at('2024-07-05T08:00:00Z'), 'regular')).toBe(false);
    expect(isMarketOpen('AAPL', at('2024-07-05T13:30:00Z'), 'regular')).toBe(true);
    expect(isMarketOpen('AAPL', at('2024-11-29T21:59:59Z'))).toBe(true); // 16:59 EST on an early close
    expect(isMarketOpen('AAPL', at('2024-11-29T22:00:00Z'))).toBe(false);
    expect(isMarketOpen('AAPL', at('2024-07-04T15:00:00Z'))).toBe(false); // Independence Day
  });

  it('keeps crypto open around the clock', () => {
    for (const instant of ['2024-12-25T12:00:00Z', '2024-03-10T07:30:00Z', '2024-06-15T03:00:00Z']) {
      expect(isMarketOpen('X:BTCUSD', at(instant))).toBe(true);
    }
  });

  it('closes forex over the weekend only', () => {
    expect(isMarketOpen('C:EURUSD', at('2024-03-09T12:00:00Z'))).toBe(false); // Saturday
    expect(isMarketOpen('C:EURUSD', at('2024-03-10T20:59:59Z'))).toBe(false); // Sunday 16:59 EDT
    expect(isMarketOpen('C:EURUSD', at('2024-03-10T21:00:00Z'))).toBe(true); // Sunday 17:00 EDT
    expect(isMarketOpen('C:EURUSD', at('2024-12-25T15:00:00Z'))).toBe(true); // NYSE holidays do not matter
  });

  it('opens indices for the regular session only', () => {
    expect(isMarketOpen('I:NDX', at('2024-03-12T12:00:00Z'))).toBe(false);
    expect(isMarketOpen('I:NDX', at('2024-03-12T14:00:00Z'))).toBe(true);
  });
});

describe('expectedBarStarts', () => {
  // New York day 2024-03-12 (EDT): 04:00Z .. next 04:00Z
  const normalDay = [at('2024-03-12T04:00:00Z'), at('2024-03-13T04:00:00Z')] as const;

  it('expects 960 extended and 390 regular one-minute bars on a normal day', () => {
    const extended = expectedBarStarts('AAPL', MINUTE, ...normalDay);
    expect(extended).toHaveLength(960);
    expect(isoOf(extended[0])).toBe('2024-03-12T08:00:00.000Z');
    expect(isoOf(extended[959])).toBe('2024-03-12T23:59:00.000Z');

    const regular = expectedBarStarts('AAPL', MINUTE, ...normalDay, 'regular');
    expect(regular).toHaveLength(390);
    expect(isoOf(regular[0])).toBe('2024-03-12T13:30:00.000Z');
    expect(isoOf(regular[389])).toBe('2024-03-12T19:59:00.000Z');
  });

  it('expects 210 regular and 780 extended bars on an early close', () => {
    const day = [at('2024-11-29T05:00:00Z'), at('2024-11-30T05:00:00Z')] as const;
    expect(expectedBarStarts('AAPL', MINUTE, ...day, 'regular')).toHaveLength(210);
    expect(expectedBarStarts('AAPL', MINUTE, ...day)).toHaveLength(780);
  });

  it('expects no bars on a holiday', () => {
    expect(expectedBarStarts('AAPL', MINUTE, at('2024-12-25T05:00:00Z'), at('2024-12-26T05:00:00Z'))).toEqual([]);
    expect(expectedBarStarts('I:SPX', MINUTE, at('2024-12-25T05:00:00Z'), at('2024-12-26T05:00:00Z'))).toEqual([]);
  });

  it('counts every bucket that overlaps the session, on epoch-aligned boundaries', () => {
    expect(expectedBarStarts('AAPL', 5 * MINUTE, ...normalDay, 'regular')).toHaveLength(78);
    // 13:30Z-20:00Z overlaps the hourly buckets 13:00Z .. 19:00Z
    expect(expectedBarStarts('AAPL', 60 * MINUTE, ...normalDay, 'regular').map(isoOf)).toEqual(
      [13, 14, 15, 16, 17, 18, 19].map((hour) => `2024-03-12T${hour}:00:00.000Z`),
    );
  });

  it('counts a bucket spanning two sessions once', () => {
    // In EST each 04:00-20:00 session touches two UTC days, so consecutive sessions share a day bucket.
    const starts = expectedBarStarts('AAPL', 1440 * MINUTE, at('2024-01-08T00:00:00Z'), at('2024-01-13T00:00:00Z'));
    expect(starts.map(isoOf)).toEqual(['08', '09', '10', '11', '12'].map((d) => `2024-01-${d}T00:00:00.000Z`));
  });

  it('expects the 2024 regular-session minute bars: 249 full days and 3 early closes', () => {
    const bars = expectedBarStarts('AAPL', MINUTE, at('2024-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z'), 'regular');
    expect(bars).toHaveLength(249 * 390 + 3 * 210);
  });

  it('expects 1440 crypto minutes on a UTC day, DST change or not', () => {
    expect(expectedBarStarts('X:BTCUSD', MINUTE, at('2024-03-10T00:00:00Z'), at('2024-03-11T00:00:00Z'))).toHaveLength(1440);
  });

  it('expects 120 forex hours in a UTC week, one more or less when New York changes clocks over the weekend', () => {
    const hour = 60 * MINUTE;
    expect(expectedBarStarts('C:EURUSD', hour, at('2024-06-03T00:00:00Z'), at('2024-06-10T00:00:00Z'))).toHaveLength(120);
    // closes Fri 22:00Z (EST), reopens Sun 21:00Z (EDT)
    expect(expectedBarStarts('C:EURUSD', hour, at('2024-03-04T00:00:00Z'), at('2024-03-11T00:00:00Z'))).toHaveLength(121);
    // closes Fri 21:00Z (EDT), reopens Sun 22:00Z (EST)
    expect(expectedBarStarts('C:EURUSD', hour, at('2024-10-28T00:00:00Z'), at('2024-11-04T00:00:00Z'))).toHaveLength(119);
    expect(expectedBarStarts('C:EURUSD', MINUTE, at('2024-03-09T00:00:00Z'), at('2024-03-10T00:00:00Z'))).toEqual([]);
  });

  it('rejects a non-positive or fractional timeframe', () => {
    for (const timeframeMs of [0, -MINUTE, 1.5, NaN]) {
      expect(() => expectedBarStarts('AAPL', timeframeMs, ...normalDay)).toThrow(RangeError);
    }
  });
});
