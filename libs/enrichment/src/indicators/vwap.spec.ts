import { MINUTE_MS } from '@app/core';
import type { IndicatorBar } from '../indicator-bar';
import { newYorkDaySession, sessionKeyFor, utcDaySession } from '../session';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceVwap } from '../testing/reference-indicators';

/** A bar at an ISO instant whose typical price (high + low + close) / 3 is `typical`. */
function bar(at: string, typical: number, volume: number): IndicatorBar {
  return { time: Date.parse(at), high: typical + 1, low: typical - 1, close: typical, volume };
}

describe('vwap', () => {
  it('weights the typical price by volume over the session so far', () => {
    const bars = [bar('2011-01-03T14:30:00Z', 10, 100), bar('2011-01-03T14:31:00Z', 11, 300), bar('2011-01-03T14:32:00Z', 13, 100)];
    // 10; (1000 + 3300) / 400 = 10.75; (4300 + 1300) / 500 = 11.2
    expect(valuesOf('vwap', bars, newYorkDaySession).value).toEqual([10, 10.75, 11.2]);
  });

  it('has no value until the session trades, and keeps its value through a bar without volume', () => {
    const bars = [bar('2011-01-03T14:30:00Z', 10, 0), bar('2011-01-03T14:31:00Z', 11, 100), bar('2011-01-03T14:32:00Z', 13, 0)];
    expect(valuesOf('vwap', bars, newYorkDaySession).value).toEqual([null, 11, 11]);
  });

  it('restarts at New York midnight for stocks, on both sides of the March 2011 clock change', () => {
    // Daylight saving started 2011-03-13 02:00 EST: midnight is 05:00Z on the 13th, 04:00Z on the 14th.
    // A fixed UTC-5 offset would keep the 04:00Z bar in the 13th's session.
    const bars = [
      bar('2011-03-13T04:59:00Z', 10, 100), // 12th 23:59 EST
      bar('2011-03-13T05:00:00Z', 20, 100), // 13th 00:00 EST: new session
      bar('2011-03-14T03:59:00Z', 30, 100), // 13th 23:59 EDT: same session
      bar('2011-03-14T04:00:00Z', 40, 100), // 14th 00:00 EDT: new session
    ];
    expect(valuesOf('vwap', bars, sessionKeyFor('SPY')).value).toEqual([10, 20, 25, 40]);
  });

  it('restarts at New York midnight across the November fall-back too', () => {
    // Standard time returned 2011-11-06 02:00 EDT: midnight is 04:00Z on the 6th, 05:00Z on the 7th.
    const bars = [
      bar('2011-11-06T03:59:00Z', 10, 100), // 5th 23:59 EDT
      bar('2011-11-06T04:00:00Z', 20, 100), // 6th 00:00 EDT: new session
      bar('2011-11-07T04:59:00Z', 30, 100), // 6th 23:59 EST: same session
      bar('2011-11-07T05:00:00Z', 40, 100), // 7th 00:00 EST: new session
    ];
    expect(valuesOf('vwap', bars, sessionKeyFor('SPY')).value).toEqual([10, 20, 25, 40]);
  });

  it('restarts at UTC midnight for crypto, not at New York midnight', () => {
    const bars = [
      bar('2011-01-03T23:59:00Z', 10, 100),
      bar('2011-01-04T00:00:00Z', 20, 100), // new UTC day
      bar('2011-01-04T05:00:00Z', 30, 100), // New York midnight: same UTC day
    ];
    expect(sessionKeyFor('X:BTCUSD')).toBe(utcDaySession);
    expect(valuesOf('vwap', bars, sessionKeyFor('X:BTCUSD')).value).toEqual([10, 20, 25]);
  });

  it('agrees with a textbook session VWAP on three days of real SPY minutes', () => {
    const start = Date.parse('2011-01-03T05:00:00Z');
    const bars = spyBars().filter((b) => b.time < start + 3 * 24 * 60 * MINUTE_MS);
    expectSeriesClose(valuesOf('vwap', bars, newYorkDaySession).value, referenceVwap(bars, newYorkDaySession), 1e-12);
  });
});
