import { tradingWindows } from '@app/calendar';
import { Timeframe, TimeframeValue, type TimeRange } from '@app/core';
import { planRequestWindows } from './request-window.planner';

const MINUTE = 60_000;
const YEAR_2023 = { from: Date.UTC(2023, 0, 1), to: Date.UTC(2024, 0, 1) };

function openMinutes(symbol: string, window: TimeRange): number {
  return tradingWindows(symbol, new Date(window.start), new Date(window.end)).reduce(
    (sum, w) => sum + (w.end.getTime() - w.start.getTime()) / MINUTE,
    0,
  );
}

function expectContiguous(windows: TimeRange[], timeframe: Timeframe, from: number, to: number): void {
  expect(windows[0].start).toBe(timeframe.isBucketStart(from) ? from : timeframe.nextBucketStart(from));
  expect(windows[windows.length - 1].end).toBe(to);
  for (let i = 0; i < windows.length; i++) {
    expect(windows[i].start).toBeLessThan(windows[i].end);
    expect(timeframe.isBucketStart(windows[i].start)).toBe(true);
    if (i > 0) expect(windows[i].start).toBe(windows[i - 1].end);
  }
}

describe('planRequestWindows', () => {
  it('splits a year of extended-hours minute bars into windows under the base-aggregate budget', () => {
    const windows = planRequestWindows('AAPL', Timeframe.of('1m'), YEAR_2023.from, YEAR_2023.to, 45_000);
    expectContiguous(windows, Timeframe.of('1m'), YEAR_2023.from, YEAR_2023.to);
    // 250 NYSE sessions of up to 960 minutes: about 240k minute bars, so 6 windows of <= 45k.
    expect(windows).toHaveLength(6);
    for (const window of windows) expect(openMinutes('AAPL', window)).toBeLessThanOrEqual(45_000);
    // Full windows are full: the budget is used, not wasted.
    expect(openMinutes('AAPL', windows[0])).toBeGreaterThan(44_000);
  });

  it.each<TimeframeValue>(['5m', '1h', '4h'])(
    'counts minute bars, not %s bars, for intraday timeframes and cuts on %s bucket starts',
    (value) => {
      const timeframe = Timeframe.of(value);
      const windows = planRequestWindows('AAPL', timeframe, YEAR_2023.from, YEAR_2023.to, 45_000);
      expectContiguous(windows, timeframe, YEAR_2023.from, YEAR_2023.to);
      expect(windows.length).toBeGreaterThanOrEqual(6);
      for (const window of windows) expect(openMinutes('AAPL', window)).toBeLessThanOrEqual(45_000);
    },
  );

  it('counts every minute for crypto, which trades around the clock', () => {
    const windows = planRequestWindows('X:BTCUSD', Timeframe.of('1m'), YEAR_2023.from, YEAR_2023.to, 45_000);
    expectContiguous(windows, Timeframe.of('1m'), YEAR_2023.from, YEAR_2023.to);
    expect(windows).toHaveLength(Math.ceil((365 * 1440) / 45_000));
    expect(windows[0].end - windows[0].start).toBe(45_000 * MINUTE);
  });

  it('asks day and week bars in one window unless the range passes the budget in days', () => {
    const twentyYears = { from: Date.UTC(2004, 0, 1), to: Date.UTC(2024, 0, 1) };
    expect(planRequestWindows('AAPL', Timeframe.of('1d'), twentyYears.from, twentyYears.to, 45_000)).toHaveLength(1);
    const day = Timeframe.of('1d');
    const small = planRequestWindows('AAPL', day, YEAR_2023.from, YEAR_2023.to, 30);
    expectContiguous(small, day, YEAR_2023.from, YEAR_2023.to);
    expect(small.length).toBeGreaterThanOrEqual(13);
    // New York midnight on both sides of the March and November clock changes.
    expect(small.map((w) => new Date(w.start).toISOString())).toContain('2023-03-02T05:00:00.000Z');
    expect(small.map((w) => new Date(w.start).toISOString())).toContain('2023-04-01T04:00:00.000Z');
    const week = Timeframe.of('1w');
    const weeks = planRequestWindows('AAPL', week, YEAR_2023.from, YEAR_2023.to, 60);
    expectContiguous(weeks, week, YEAR_2023.from, YEAR_2023.to);
    for (const window of weeks) expect(new Date(window.start).getUTCDay()).toBe(0);
  });

  it('starts at the first bar that begins at or after `from`', () => {
    const hour = Timeframe.of('1h');
    const from = Date.UTC(2023, 5, 1, 13, 30);
    const [first] = planRequestWindows('AAPL', hour, from, Date.UTC(2023, 5, 2), 45_000);
    expect(first.start).toBe(Date.UTC(2023, 5, 1, 14));
    const [day] = planRequestWindows('AAPL', Timeframe.of('1d'), Date.UTC(2023, 5, 1), Date.UTC(2023, 5, 3), 45_000);
    expect(new Date(day.start).toISOString()).toBe('2023-06-01T04:00:00.000Z');
  });

  it('gives every window at least one bucket when one bucket needs more than the budget', () => {
    const hour = Timeframe.of('1h');
    const windows = planRequestWindows('X:BTCUSD', hour, Date.UTC(2023, 0, 1), Date.UTC(2023, 0, 1, 5), 30);
    expect(windows.map((w) => (w.end - w.start) / 3_600_000)).toEqual([1, 1, 1, 1, 1]);
  });

  it('returns nothing for an empty range', () => {
    expect(planRequestWindows('AAPL', Timeframe.of('1m'), YEAR_2023.to, YEAR_2023.to, 45_000)).toEqual([]);
  });
});
