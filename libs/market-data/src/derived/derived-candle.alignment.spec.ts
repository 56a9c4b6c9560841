import { type Candle, Timeframe } from '@app/core';
import type { Engine } from '@app/database';
// These files compare the engines with each other, so they always run on both.
import { ALL_ENGINES as ENGINES, DatabaseTestContext, bootDatabase } from '@app/testing';
import { CandleRepository } from '../candles/candle.repository';
import { DERIVABLE_TIMEFRAMES, type DerivableTimeframe, type DeriveQuery, type DerivedCandle } from './derived-candle';
import { DerivedCandleService } from './derived-candle.service';
import { expectSameBars, type ReferenceBar, rollUp, syntheticSessions } from '@app/market-data/testing';

/**
 * Provider alignment across the 2024 DST changes (Sunday 2024-03-10: a 23-hour New York
 * day; Sunday 2024-11-03: 25 hours), the regular session with an early close, and the
 * completeness rule, on synthetic 1m bars. Bucket instants and minute counts below are
 * worked out by hand from the New York wall clock.
 */
const at = (iso: string): number => Date.parse(iso);
const SESSIONS = ['regular', 'extended'] as const;
const isoOf = (bar: { time: number }): string => new Date(bar.time).toISOString();

const CRYPTO = 'X:BTCUSD';
/** Every minute, around both DST changes. */
const CRYPTO_SPANS = [
  [at('2024-03-09T12:00:00Z'), at('2024-03-17T12:00:00Z')],
  [at('2024-11-02T12:00:00Z'), at('2024-11-10T12:00:00Z')],
] as const;

const STOCK = 'DSTX';
/** 04:00-20:00 New York on each trading day, written in UTC: EST = UTC-5, EDT = UTC-4. */
const extendedEst = (day: string): [number, number] => [at(`${day}T09:00:00Z`), at(`${day}T09:00:00Z`) + 16 * 3_600_000];
const extendedEdt = (day: string): [number, number] => [at(`${day}T08:00:00Z`), at(`${day}T08:00:00Z`) + 16 * 3_600_000];
const STOCK_SPANS = [
  ...['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'].map(extendedEst),
  ...['2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14', '2024-03-15'].map(extendedEdt),
  ...['2024-11-25', '2024-11-26', '2024-11-27'].map(extendedEst),
  // 2024-11-28 Thanksgiving: closed. 2024-11-29: early close, regular 09:30-13:00, after-hours to 17:00.
  [at('2024-11-29T09:00:00Z'), at('2024-11-29T22:00:00Z')],
] as const;

/** Regular session by hand: 14:30-21:00Z in EST, 13:30-20:00Z in EDT (from 2024-03-10), 14:30-18:00Z on 2024-11-29. */
function isRegularStockMinute(bar: Candle): boolean {
  const minute = (bar.time % 86_400_000) / 60_000;
  const day = new Date(bar.time).toISOString().slice(0, 10);
  if (day === '2024-11-29') return minute >= 14 * 60 + 30 && minute < 18 * 60;
  if (day >= '2024-03-10' && day < '2024-11-03') return minute >= 13 * 60 + 30 && minute < 20 * 60;
  return minute >= 14 * 60 + 30 && minute < 21 * 60;
}

/** 2024-11-29 again, minus the 10:00 ET bar: the after-hours bars must not make up for it. */
const GAPPED = 'GAPX';
/** 2024-11-27 with the after-hours after 17:00 ET not ingested yet. */
const LATE = 'LATE';

const cryptoBars = syntheticSessions(CRYPTO, CRYPTO_SPANS);
const stockBars = syntheticSessions(STOCK, STOCK_SPANS);
const gappedBars = syntheticSessions(GAPPED, [[at('2024-11-29T09:00:00Z'), at('2024-11-29T22:00:00Z')]]).filter(
  (bar) => bar.time !== at('2024-11-29T15:00:00Z'),
);
const lateBars = syntheticSessions(LATE, [[at('2024-11-27T09:00:00Z'), at('2024-11-27T22:00:00Z')]]);

/** Plain-JS rollups, computed once for both engines. */
const references = new Map<string, ReferenceBar[]>();
function referenceOf(bars: Candle[], timeframe: DerivableTimeframe): ReferenceBar[] {
  const key = `${bars[0].symbol} ${timeframe}`;
  if (!references.has(key))
    references.set(
      key,
      rollUp(bars, (ms) => Timeframe.of(timeframe).bucketStart(ms)),
    );
  return references.get(key)!;
}

const contexts = new Map<Engine, DatabaseTestContext>();
const service = (engine: Engine): DerivedCandleService => contexts.get(engine)!.module.get(DerivedCandleService);
const derive = (engine: Engine, query: Omit<DeriveQuery, 'limit'>): Promise<DerivedCandle[]> =>
  service(engine).derive({ limit: 100_000, ...query });

async function store(engine: Engine, bars: Candle[]): Promise<void> {
  await contexts.get(engine)!.module.get(CandleRepository).upsertMany(bars);
  // What ingestion does after writing 1m bars (a no-op on PostgreSQL).
  await service(engine).refreshAfterWrite(bars[0].symbol, bars[0].time, bars[bars.length - 1].time + 60_000);
}

beforeAll(async () => {
  for (const engine of ENGINES) {
    contexts.set(engine, await bootDatabase(engine));
    for (const bars of [cryptoBars, stockBars, gappedBars, lateBars]) await store(engine, bars);
  }
}, 150_000);

afterAll(async () => {
  for (const ctx of contexts.values()) await ctx.close();
});

describe.each(ENGINES)('alignment across DST on %s', (engine) => {
  it('day buckets start at New York midnight: 23 hours on 2024-03-10, 25 on 2024-11-03', async () => {
    const march = await derive(engine, {
      symbol: CRYPTO,
      timeframe: '1d',
      start: at('2024-03-07T00:00:00Z'),
      end: at('2024-03-19T00:00:00Z'),
    });
    expect(march.map((day) => [isoOf(day), day.minuteBars, day.isComplete])).toEqual([
      ['2024-03-09T05:00:00.000Z', 1020, false], // data starts 07:00 EST: the day is partial
      ['2024-03-10T05:00:00.000Z', 1380, true],
      ['2024-03-11T04:00:00.000Z', 1440, true],
      ['2024-03-12T04:00:00.000Z', 1440, true],
      ['2024-03-13T04:00:00.000Z', 1440, true],
      ['2024-03-14T04:00:00.000Z', 1440, true],
      ['2024-03-15T04:00:00.000Z', 1440, true],
      ['2024-03-16T04:00:00.000Z', 1440, true],
      ['2024-03-17T04:00:00.000Z', 480, false], // data ends 08:00 EDT
    ]);
    const november = await derive(engine, {
      symbol: CRYPTO,
      timeframe: '1d',
      start: at('2024-11-02T00:00:00Z'),
      end: at('2024-11-05T00:00:00Z'),
    });
    expect(november.map((day) => [isoOf(day), day.minuteBars, day.isComplete])).toEqual([
      ['2024-11-02T04:00:00.000Z', 960, false], // data starts 08:00 EDT
      ['2024-11-03T04:00:00.000Z', 1500, true],
      ['2024-11-04T05:00:00.000Z', 1440, true],
    ]);
  });

  it('week buckets start Sunday 00:00 New York, 167 hours in the March week and 169 in the November one', async () => {
    const weeks = await derive(engine, {
      symbol: CRYPTO,
      timeframe: '1w',
      start: at('2024-03-01T00:00:00Z'),
      end: at('2024-11-15T00:00:00Z'),
    });
    expect(weeks.map((week) => [isoOf(week), week.minuteBars, week.isComplete])).toEqual([
      ['2024-03-03T05:00:00.000Z', 1020, false],
      ['2024-03-10T05:00:00.000Z', 10020, true],
      ['2024-03-17T04:00:00.000Z', 480, false],
      ['2024-10-27T04:00:00.000Z', 960, false],
      ['2024-11-03T04:00:00.000Z', 10140, true],
      ['2024-11-10T05:00:00.000Z', 420, false],
    ]);
  });

  it('intraday buckets stay on the UTC clock through the change', async () => {
    const fourHours = await derive(engine, {
      symbol: CRYPTO,
      timeframe: '4h',
      start: at('2024-03-10T00:00:00Z'),
      end: at('2024-03-11T00:00:00Z'),
    });
    expect(fourHours.map((bar) => [isoOf(bar).slice(11, 16), bar.minuteBars])).toEqual(
      ['00:00', '04:00', '08:00', '12:00', '16:00', '20:00'].map((hhmm) => [hhmm, 240]),
    );
  });

  it('every timeframe equals the plain rollup of the 1m bars, crypto and stock', async () => {
    const range = { start: at('2024-03-01T00:00:00Z'), end: at('2024-12-01T00:00:00Z') };
    for (const timeframe of DERIVABLE_TIMEFRAMES) {
      for (const bars of [cryptoBars, stockBars]) {
        const derived = await derive(engine, { symbol: bars[0].symbol, timeframe, ...range });
        expectSameBars(derived, referenceOf(bars, timeframe));
      }
    }
  });

  it('regular-session days and weeks: 390 bars, opening 09:30 ET on both sides of the change', async () => {
    const days = await derive(engine, {
      symbol: STOCK,
      timeframe: '1d',
      session: 'regular',
      start: at('2024-03-01T00:00:00Z'),
      end: at('2024-03-16T00:00:00Z'),
    });
    expect(days.map((day) => [isoOf(day), day.minuteBars, day.isComplete])).toEqual([
      ...['04', '05', '06', '07', '08'].map((d) => [`2024-03-${d}T05:00:00.000Z`, 390, true]),
      ...['11', '12', '13', '14', '15'].map((d) => [`2024-03-${d}T04:00:00.000Z`, 390, true]),
    ]);
    const firstRegularBar = (iso: string): Candle => stockBars.find((bar) => bar.time === at(iso))!;
    expect(days[4].open).toBe(firstRegularBar('2024-03-08T14:30:00Z').open);
    expect(days[5].open).toBe(firstRegularBar('2024-03-11T13:30:00Z').open);
    expect(days[5].close).toBe(firstRegularBar('2024-03-11T19:59:00Z').close);
    const regularBars = stockBars.filter(isRegularStockMinute);
    expectSameBars(days, rollUp(regularBars, (ms) => Timeframe.of('1d').bucketStart(ms)).slice(0, 10));

    const weeks = await derive(engine, {
      symbol: STOCK,
      timeframe: '1w',
      session: 'regular',
      start: at('2024-03-01T00:00:00Z'),
      end: at('2024-12-01T00:00:00Z'),
    });
    expect(weeks.map((week) => [isoOf(week), week.minuteBars, week.isComplete])).toEqual([
      ['2024-03-03T05:00:00.000Z', 1950, true],
      ['2024-03-10T05:00:00.000Z', 1950, true],
      ['2024-11-24T05:00:00.000Z', 3 * 390 + 210, true], // Thanksgiving closed, early close on Friday
    ]);
    expectSameBars(
      weeks,
      rollUp(regularBars, (ms) => Timeframe.of('1w').bucketStart(ms)),
    );
  });

  it('an early close ends the regular session at 13:00; the extended day runs to 17:00', async () => {
    const range = { symbol: STOCK, timeframe: '1d' as const, start: at('2024-11-29T00:00:00Z'), end: at('2024-11-30T00:00:00Z') };
    const [regular] = await derive(engine, { ...range, session: 'regular' });
    expect(regular).toMatchObject({ time: at('2024-11-29T05:00:00Z'), minuteBars: 210, isComplete: true });
    expect(regular.close).toBe(stockBars.find((bar) => bar.time === at('2024-11-29T17:59:00Z'))!.close);
    const [extended] = await derive(engine, range);
    expect(extended).toMatchObject({ minuteBars: 13 * 60, isComplete: true });
  });

  it('a missing regular minute makes the day incomplete, even with after-hours bars in the 13:00-16:00 band', async () => {
    const range = { symbol: GAPPED, timeframe: '1d' as const, start: at('2024-11-29T00:00:00Z'), end: at('2024-11-30T00:00:00Z') };
    const [regular] = await derive(engine, { ...range, session: 'regular' });
    expect(regular).toMatchObject({ minuteBars: 209, isComplete: false });
    const [extended] = await derive(engine, range);
    expect(extended).toMatchObject({ minuteBars: 13 * 60 - 1, isComplete: false });
  });
});

describe('completeness follows the 1m feed', () => {
  it.each(ENGINES)('on %s, an extended day is final only once the feed reaches its last after-hours minute', async (engine) => {
    const range = { symbol: LATE, timeframe: '1d' as const, start: at('2024-11-27T00:00:00Z'), end: at('2024-11-28T00:00:00Z') };
    const [regularBefore] = await derive(engine, { ...range, session: 'regular' });
    expect(regularBefore).toMatchObject({ minuteBars: 390, isComplete: true });
    const [extendedBefore] = await derive(engine, range);
    expect(extendedBefore).toMatchObject({ minuteBars: 13 * 60, isComplete: false });

    // The 19:59 ET bar arrives (a sparse after-hours: nothing between 17:00 and 19:59).
    await store(engine, syntheticSessions(LATE, [[at('2024-11-28T00:59:00Z'), at('2024-11-28T01:00:00Z')]]));
    const [extendedAfter] = await derive(engine, range);
    expect(extendedAfter).toMatchObject({ minuteBars: 13 * 60 + 1, isComplete: true });
  });
});

describe('DST alignment: both engines', () => {
  it('give identical answers for every symbol, timeframe and session', async () => {
    const range = { start: at('2024-03-01T00:00:00Z'), end: at('2024-12-01T00:00:00Z') };
    // Sessions only change stock results; the two one-day symbols only matter for day and week bars.
    const cases = [
      ...DERIVABLE_TIMEFRAMES.map((timeframe) => ({ symbol: CRYPTO, timeframe, session: 'extended' as const })),
      ...DERIVABLE_TIMEFRAMES.flatMap((timeframe) => SESSIONS.map((session) => ({ symbol: STOCK, timeframe, session }))),
      ...[GAPPED, LATE].flatMap((symbol) =>
        (['1d', '1w'] as const).flatMap((timeframe) => SESSIONS.map((session) => ({ symbol, timeframe, session }))),
      ),
    ];
    for (const { symbol, timeframe, session } of cases) {
      const [postgres, timescale] = await Promise.all(ENGINES.map((engine) => derive(engine, { symbol, timeframe, session, ...range })));
      expect(postgres.length).toBeGreaterThan(0);
      // vwap is a ratio of float sums added in a different order: compared to 1e-12, the rest exactly.
      expectSameBars(timescale, postgres);
      expect(timescale.map((bar) => bar.isComplete)).toEqual(postgres.map((bar) => bar.isComplete));
    }
  });
});
