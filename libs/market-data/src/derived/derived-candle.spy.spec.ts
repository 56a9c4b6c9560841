import type { Engine } from '@app/database';
// These files compare the engines with each other, so they always run on both.
import { ALL_ENGINES as ENGINES, DatabaseTestContext, bootDatabase } from '@app/testing';
import { CandleRepository } from '../candles/candle.repository';
import type { Candle } from '@app/core';
import { DERIVABLE_TIMEFRAMES, type DeriveQuery, type DerivedCandle } from './derived-candle';
import { DerivedCandleService } from './derived-candle.service';
import { expectSameBars, rollUp } from '@app/market-data/testing';
import { spyMinuteCandles } from '@app/polygon/testing';

/**
 * Real SPY 1m bars (January 2011, extended hours) derived into higher timeframes on both
 * engines. Spot values were computed with awk straight from the CSV (README); whole-month
 * expectations are rolled up in plain JavaScript below; the engines must agree exactly.
 */
const MINUTE = 60_000;
const MONTH = { symbol: 'SPY', start: Date.UTC(2011, 0, 1), end: Date.UTC(2011, 1, 2), limit: 10_000 };
const EASTERN_STANDARD_OFFSET = 5 * 3_600_000;
const bars = spyMinuteCandles();

/** January 2011 is all EST: the regular session is 14:30-21:00 UTC, and only weekdays carry it here. */
function isRegularMinute(bar: Candle): boolean {
  const minuteOfDay = (bar.time % 86_400_000) / MINUTE;
  return minuteOfDay >= 14 * 60 + 30 && minuteOfDay < 21 * 60;
}

/** New York midnight in January 2011 (EST), and the Sunday midnight before it. */
const nyDayOf = (ms: number): number => Math.floor((ms - EASTERN_STANDARD_OFFSET) / 86_400_000) * 86_400_000 + EASTERN_STANDARD_OFFSET;
const nyWeekOf = (ms: number): number => nyDayOf(ms) - new Date(nyDayOf(ms) - EASTERN_STANDARD_OFFSET).getUTCDay() * 86_400_000;
const clockBucket = (width: number) => (ms: number) => Math.floor(ms / width) * width;

const contexts = new Map<Engine, DatabaseTestContext>();
const service = (engine: Engine): DerivedCandleService => contexts.get(engine)!.module.get(DerivedCandleService);
const derive = (engine: Engine, query: Partial<DeriveQuery> & Pick<DeriveQuery, 'timeframe'>): Promise<DerivedCandle[]> =>
  service(engine).derive({ ...MONTH, ...query });

beforeAll(async () => {
  for (const engine of ENGINES) {
    const ctx = await bootDatabase(engine);
    contexts.set(engine, ctx);
    await ctx.module.get(CandleRepository).upsertMany(bars);
    // Materialise the aggregates (a no-op on PostgreSQL); the newest data also reads in real time.
    await ctx.module.get(DerivedCandleService).refreshAfterWrite('SPY', MONTH.start, MONTH.end);
  }
}, 120_000);

afterAll(async () => {
  for (const ctx of contexts.values()) await ctx.close();
});

describe.each(ENGINES)('SPY January 2011 on %s', (engine) => {
  it('5m: the 09:30 ET bar of 2011-01-03, and every 5m bar of the month', async () => {
    const fiveMinute = await derive(engine, { timeframe: '5m' });
    const first = fiveMinute.find((bar) => bar.time === Date.UTC(2011, 0, 3, 14, 30));
    expect(first).toMatchObject({
      open: 126.71,
      high: 126.81,
      low: 126.66,
      close: 126.76,
      volume: 4761281,
      minuteBars: 5,
      isComplete: true,
    });
    expectSameBars(fiveMinute, rollUp(bars, clockBucket(5 * MINUTE)));
  });

  it('1h: the 10:00 ET bar of 2011-01-03, and every hourly bar of the month', async () => {
    const hourly = await derive(engine, { timeframe: '1h' });
    expect(hourly.find((bar) => bar.time === Date.UTC(2011, 0, 3, 15))).toMatchObject({
      open: 127.14,
      high: 127.43,
      low: 126.97,
      close: 127.4,
      volume: 18415721,
      minuteBars: 60,
      isComplete: true,
    });
    expectSameBars(hourly, rollUp(bars, clockBucket(60 * MINUTE)));
  });

  it('1d regular session: 20 trading days of exactly 390 bars, none on the 2011-01-17 holiday', async () => {
    const days = await derive(engine, { timeframe: '1d', session: 'regular' });
    expect(days).toHaveLength(20);
    expect(days.every((day) => day.minuteBars === 390 && day.isComplete)).toBe(true);
    expect(days.map((day) => day.time)).not.toContain(Date.UTC(2011, 0, 17, 5));
    expect(days[0]).toMatchObject({
      time: Date.UTC(2011, 0, 3, 5),
      open: 126.71,
      high: 127.6,
      low: 126.66,
      close: 127.05,
      volume: 111998202,
    });
    expectSameBars(days, rollUp(bars.filter(isRegularMinute), nyDayOf));
  });

  it('1d extended session: every stored 1m bar of the New York day', async () => {
    const days = await derive(engine, { timeframe: '1d' });
    expect(days[0]).toMatchObject({
      time: Date.UTC(2011, 0, 3, 5),
      open: 126.35,
      high: 127.6,
      low: 126.3,
      close: 126.9,
      volume: 124644301,
      minuteBars: 706,
      isComplete: true,
    });
    expectSameBars(days, rollUp(bars, nyDayOf));
  });

  it('1w: Sunday-midnight weeks; the holiday week expects 4 sessions, the last week is short', async () => {
    const regular = await derive(engine, { timeframe: '1w', session: 'regular' });
    expect(regular.map((week) => [new Date(week.time).toISOString(), week.minuteBars, week.isComplete])).toEqual([
      ['2011-01-02T05:00:00.000Z', 1950, true],
      ['2011-01-09T05:00:00.000Z', 1950, true],
      ['2011-01-16T05:00:00.000Z', 1560, true],
      ['2011-01-23T05:00:00.000Z', 1950, true],
      // Only Monday the 31st is stored: four sessions of that week are missing.
      ['2011-01-30T05:00:00.000Z', 390, false],
    ]);
    expect(regular[1]).toMatchObject({ open: 126.59, high: 129.33, low: 126.2, close: 129.28, volume: 484478580 });
    expect(regular[2]).toMatchObject({ open: 129.18, high: 129.64, low: 127.13, close: 128.4, volume: 486930684 });
    expectSameBars(regular, rollUp(bars.filter(isRegularMinute), nyWeekOf));

    const extended = await derive(engine, { timeframe: '1w' });
    expect(extended[1]).toMatchObject({ open: 126.5, high: 129.44, low: 126.2, close: 129.33, volume: 536483233, minuteBars: 3527 });
    expect(extended[4]).toMatchObject({ open: 127.32, high: 128.85, low: 127.31, close: 128.83, volume: 137480384, minuteBars: 749 });
    expectSameBars(extended, rollUp(bars, nyWeekOf));
  });

  it('15m, 30m and 4h match the plain rollup too', async () => {
    for (const [timeframe, width] of [
      ['15m', 15],
      ['30m', 30],
      ['4h', 240],
    ] as const) {
      expectSameBars(await derive(engine, { timeframe }), rollUp(bars, clockBucket(width * MINUTE)));
    }
  });

  it('a bucket whose window is still open is incomplete', async () => {
    // As of 18:00 ET on 2011-01-03 (23:00Z): that day is still open, the 17:00 ET hour has ended.
    const asOf = Date.UTC(2011, 0, 3, 23);
    const [day] = await derive(engine, { timeframe: '1d', start: Date.UTC(2011, 0, 3, 5), end: Date.UTC(2011, 0, 4, 5), asOf });
    expect(day.isComplete).toBe(false);
    const hours = await derive(engine, { timeframe: '1h', start: Date.UTC(2011, 0, 3, 21), end: Date.UTC(2011, 0, 4), asOf });
    expect(hours.map((hour) => [new Date(hour.time).getUTCHours(), hour.isComplete])).toEqual([
      [21, true],
      [22, true],
      [23, false],
    ]);
  });

  it('reads [start, end) by bucket start, newest first with desc, at most limit', async () => {
    const newest = await derive(engine, { timeframe: '1d', session: 'regular', order: 'desc', limit: 2 });
    expect(newest.map((day) => new Date(day.time).toISOString())).toEqual(['2011-01-31T05:00:00.000Z', '2011-01-28T05:00:00.000Z']);
    // A start inside a bucket skips that bucket; an end inside one keeps it whole.
    const hours = await derive(engine, { timeframe: '1h', start: Date.UTC(2011, 0, 3, 14, 30), end: Date.UTC(2011, 0, 3, 16, 1) });
    expect(hours.map((hour) => [new Date(hour.time).toISOString(), hour.minuteBars])).toEqual([
      ['2011-01-03T15:00:00.000Z', 60],
      ['2011-01-03T16:00:00.000Z', 60],
    ]);
  });
});

describe('SPY January 2011: both engines', () => {
  it('give identical answers for every derivable timeframe and session', async () => {
    for (const timeframe of DERIVABLE_TIMEFRAMES) {
      for (const session of ['regular', 'extended'] as const) {
        const [postgres, timescale] = await Promise.all(ENGINES.map((engine) => derive(engine, { timeframe, session })));
        expect({ timeframe, session, bars: timescale }).toEqual({ timeframe, session, bars: postgres });
        expect(postgres.length).toBeGreaterThan(0);
      }
    }
  });

  it('TimescaleDB answers the extended session from the continuous aggregates, PostgreSQL at query time', () => {
    expect(service('timescaledb').methodFor({ symbol: 'SPY' })).toBe('continuous-aggregate');
    expect(service('timescaledb').methodFor({ symbol: 'SPY', session: 'regular' })).toBe('query-time');
    expect(service('postgresql').methodFor({ symbol: 'SPY' })).toBe('query-time');
  });
});
