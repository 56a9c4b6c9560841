import { Test, TestingModule } from '@nestjs/testing';
import { AppConfigModule, Env } from '@app/config';
import { Candle, InvalidTimeframeError } from '@app/core';
import { DATABASE_TARGET, DatabaseModule, DatabaseService, Engine } from '@app/database';
import { CandleRepository, DerivedCandleService } from '@app/market-data';
import { POLYGON_TUNING, PolygonModule } from '@app/polygon';
import { CapturingLogger, FakePolygonServer, spyMinuteBars } from '@app/polygon/testing';
import { ProviderBadPayloadError } from '@app/provider';
import { ENGINES, TestDatabase, openTestDatabase } from '@app/testing';
import { ENTITIES, MIGRATIONS } from '../../../migrations';
import { IngestionDisabledError } from './ingestion.errors';
import { IngestionModule } from './ingestion.module';
import { IngestionStatus } from './ingestion-status';
import { IngestionService } from './ingestion.service';

const KEY = 'pk_ingestion_test_0123456789abcdef';
const NOW = Date.UTC(2024, 5, 1);
/** New York days 10-14 January 2011 of the real SPY fixture. */
const SPY_WEEK = { from: Date.UTC(2011, 0, 10, 5), to: Date.UTC(2011, 0, 15, 5) };
const FAR = { start: 0, end: Date.UTC(2100, 0, 1), limit: 1_000_000 };

const logger = new CapturingLogger();

interface Context {
  module: TestingModule;
  ingestion: IngestionService;
  candles: CandleRepository;
  close(): Promise<void>;
}

/** Config + database + the Polygon client + IngestionModule on `testDatabase`, with quick retries. */
async function boot(testDatabase: TestDatabase, env: Env): Promise<Context> {
  const module = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(env),
      DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
      PolygonModule,
      IngestionModule,
    ],
  })
    .overrideProvider(DATABASE_TARGET)
    .useValue(testDatabase.target)
    .overrideProvider(POLYGON_TUNING)
    .useValue({ backoffBaseMs: 5, backoffMaxMs: 20, now: () => NOW })
    .setLogger(logger)
    .compile();
  await module.init();
  await module.get(DatabaseService).whenReady();
  return { module, ingestion: module.get(IngestionService), candles: module.get(CandleRepository), close: () => module.close() };
}

describe.each(ENGINES)('IngestionService on %s', (engine: Engine) => {
  let fake: FakePolygonServer;
  let testDatabase: TestDatabase;
  let ctx: Context;

  beforeAll(async () => {
    fake = await FakePolygonServer.start({ apiKey: KEY, maxLimit: 5_000, now: () => NOW });
    testDatabase = await openTestDatabase(engine);
    ctx = await boot(testDatabase, {
      POLYGON_API_KEY: KEY,
      POLYGON_BASE_URL: fake.url,
      POLYGON_RATE_LIMIT_PER_MINUTE: '100000',
      POLYGON_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'silent',
    });
  });

  afterAll(async () => {
    await ctx.close();
    await testDatabase.dispose();
    await fake.stop();
    expect(logger.text).not.toContain(KEY);
  });

  beforeEach(() => fake.reset());

  it('stores a week of real SPY minutes bar for bar, then re-runs without changing a row', async () => {
    const first = await ctx.ingestion.ingest('SPY', '1m', SPY_WEEK.from, new Date(SPY_WEEK.to));
    const fixture = spyMinuteBars().filter((b) => b.t >= SPY_WEEK.from && b.t < SPY_WEEK.to);
    expect(fixture.length).toBeGreaterThan(3_000);
    expect(first).toMatchObject({
      symbol: 'SPY',
      timeframe: '1m',
      from: SPY_WEEK.from,
      to: SPY_WEEK.to,
      bars: fixture.length,
      written: fixture.length,
    });
    expect(first.pages).toBe(1);
    expect(first.requests).toBe(fake.requestCount);
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
    const stored = await ctx.candles.findRange({ symbol: 'SPY', timeframe: '1m', ...FAR });
    expect(stored).toEqual(
      fixture.map<Candle>((b) => ({
        symbol: 'SPY',
        timeframe: '1m',
        time: b.t,
        open: b.o,
        high: b.h,
        low: b.l,
        close: b.c,
        volume: b.v,
        vwap: null,
        trades: null,
      })),
    );

    const again = await ctx.ingestion.ingest('SPY', '1m', SPY_WEEK.from, SPY_WEEK.to);
    expect(again).toMatchObject({ bars: fixture.length, written: 0, requests: 1 });
    expect(await ctx.candles.findRange({ symbol: 'SPY', timeframe: '1m', ...FAR })).toEqual(stored);
  });

  it('makes ingested history visible to derived timeframes (continuous aggregates refreshed)', async () => {
    // Newer bars first: their refresh moves the aggregates' watermark past the older ones,
    // which a backfill then writes behind it and which only a refresh makes visible.
    const derived = ctx.module.get(DerivedCandleService);
    await ctx.ingestion.ingest('X:SOLUSD', '1m', Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 1, 2));
    await derived.refreshAfterWrite('X:SOLUSD', Date.UTC(2024, 2, 1), Date.UTC(2024, 2, 1, 2), NOW); // as a policy run would
    const from = Date.UTC(2024, 1, 5);
    const to = Date.UTC(2024, 1, 5, 4);
    await ctx.ingestion.ingest('X:SOLUSD', '1m', from, to);
    const minutes = await ctx.candles.findRange({ symbol: 'X:SOLUSD', timeframe: '1m', ...FAR, end: to });
    expect(minutes).toHaveLength(240);
    const hours = await derived.derive({ symbol: 'X:SOLUSD', timeframe: '1h', start: from, end: to, limit: 10, asOf: NOW });
    expect(hours.map((h) => h.time)).toEqual([0, 1, 2, 3].map((i) => from + i * 3_600_000));
    hours.forEach((hour, i) => {
      const inHour = minutes.slice(i * 60, (i + 1) * 60);
      expect(hour).toMatchObject({
        open: inHour[0].open,
        close: inHour[59].close,
        high: Math.max(...inHour.map((m) => m.high)),
        low: Math.min(...inHour.map((m) => m.low)),
        minuteBars: 60,
      });
    });
  });

  it('overwrites revised bars and leaves the others alone', async () => {
    const from = Date.UTC(2024, 0, 5);
    const to = Date.UTC(2024, 0, 5, 6);
    await ctx.ingestion.ingest('X:ETHUSD', '1m', from, to);
    const before = await ctx.candles.findRange({ symbol: 'X:ETHUSD', timeframe: '1m', ...FAR });
    expect(before).toHaveLength(360);
    fake.market.revise('X:ETHUSD', before[100].time, before[110].time);
    const result = await ctx.ingestion.ingest('X:ETHUSD', '1m', from, to);
    expect(result).toMatchObject({ bars: 360, written: 10 });
    const after = await ctx.candles.findRange({ symbol: 'X:ETHUSD', timeframe: '1m', ...FAR });
    expect(after).toHaveLength(360);
    const revised = fake.market.minuteBars('X:ETHUSD', before[100].time, before[110].time, true);
    expect(after.slice(100, 110).map((c) => [c.time, c.close, c.high, c.volume])).toEqual(revised.map((b) => [b.t, b.c, b.h, b.v]));
    expect(after.slice(100, 110).every((c, i) => c.close !== before[100 + i].close)).toBe(true);
    expect([...after.slice(0, 100), ...after.slice(110)]).toEqual([...before.slice(0, 100), ...before.slice(110)]);
  });

  it('stores nothing of a page that fails validation (pages before it stay)', async () => {
    const from = Date.UTC(2024, 0, 8);
    const to = Date.UTC(2024, 0, 13);
    // The fake pages at 5000 bars: the first page is clean, the second holds a bar with high < low.
    fake.faults.enqueue(null, 'ohlc-violation');
    const error = await ctx.ingestion.ingest('X:SOLUSD', '1m', from, to).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderBadPayloadError);
    expect(error).toMatchObject({ symbol: 'X:SOLUSD', timeframe: '1m', requestId: fake.requests[1].requestId });
    expect(await ctx.candles.count('X:SOLUSD', '1m', from, to)).toBe(5_000);
    expect(logger.text).toContain(`rejected a page of X:SOLUSD 1m (request id ${fake.requests[1].requestId})`);
  });

  it('ends with the same rows when requests fail along the way', async () => {
    const from = Date.UTC(2024, 0, 16);
    const to = Date.UTC(2024, 0, 19);
    const clean = await ctx.ingestion.ingest('NVDA', '1m', from, to);
    const reference = await ctx.candles.findRange({ symbol: 'NVDA', timeframe: '1m', ...FAR });
    await ctx.candles.deleteSymbol('NVDA');
    fake.reset();
    fake.faults.enqueue('rate-limit', 'server-error', 'garbage', 'reset', 'truncated-json');
    const faulted = await ctx.ingestion.ingest('NVDA', '1m', from, to);
    expect(faulted.requests).toBe(clean.requests + 5);
    expect(faulted.bars).toBe(clean.bars);
    expect(await ctx.candles.findRange({ symbol: 'NVDA', timeframe: '1m', ...FAR })).toEqual(reference);
  });

  it('stores hour, day and week bars on their bucket starts', async () => {
    const from = Date.UTC(2024, 2, 1);
    const to = Date.UTC(2024, 2, 20);
    await ctx.ingestion.ingest('AAPL', '1d', from, to);
    await ctx.ingestion.ingest('AAPL', '1w', from, to);
    // New York days Friday 8 March (EST) and Monday 11 March (EDT): two sessions of 16 hours.
    const hours = await ctx.ingestion.ingest('AAPL', '1h', Date.UTC(2024, 2, 8, 5), Date.UTC(2024, 2, 12, 4));
    expect(hours.bars).toBe(32);
    const hourStarts = (await ctx.candles.findRange({ symbol: 'AAPL', timeframe: '1h', ...FAR })).map((h) =>
      new Date(h.time).toISOString(),
    );
    expect(hourStarts[0]).toBe('2024-03-08T09:00:00.000Z');
    expect(hourStarts[16]).toBe('2024-03-11T08:00:00.000Z');
    const days = await ctx.candles.findRange({ symbol: 'AAPL', timeframe: '1d', ...FAR });
    expect(days.map((d) => new Date(d.time).toISOString().slice(11, 13))).toEqual([...Array(6).fill('05'), ...Array(7).fill('04')]); // 1, 4-8 March in EST; 11-15, 18, 19 in EDT
    const weeks = await ctx.candles.findRange({ symbol: 'AAPL', timeframe: '1w', ...FAR });
    expect(weeks.map((w) => new Date(w.time).toISOString())).toEqual([
      '2024-03-03T05:00:00.000Z',
      '2024-03-10T05:00:00.000Z',
      '2024-03-17T04:00:00.000Z',
    ]);
  });

  it('refuses timeframes outside ALLOWED_TIMEFRAMES and empty ranges', async () => {
    await expect(ctx.ingestion.ingest('AAPL', '1m', 10, 10)).rejects.toThrow(RangeError);
    const narrow = await boot(testDatabase, {
      POLYGON_API_KEY: KEY,
      POLYGON_BASE_URL: fake.url,
      ALLOWED_TIMEFRAMES: '1m,1h',
      DEFAULT_TIMEFRAMES: '1h',
    });
    try {
      await expect(narrow.ingestion.ingest('AAPL', '1d', 0, 1)).rejects.toThrow(InvalidTimeframeError);
    } finally {
      await narrow.close();
    }
    expect(fake.requestCount).toBe(0);
  });

  it('is off without POLYGON_API_KEY: says why and how to turn it on, sends nothing', async () => {
    const keyless = await boot(testDatabase, { POLYGON_BASE_URL: fake.url });
    try {
      const status = keyless.module.get(IngestionStatus);
      expect(status.toJSON()).toEqual({
        enabled: false,
        provider: 'polygon',
        reason: 'POLYGON_API_KEY is not set',
        howToEnable: expect.stringContaining('set POLYGON_API_KEY'),
      });
      await expect(keyless.ingestion.ingest('AAPL', '1m', 0, 60_000)).rejects.toBeInstanceOf(IngestionDisabledError);
      // Stored data is still there to serve.
      expect(await keyless.candles.count('SPY', '1m', SPY_WEEK.from, SPY_WEEK.to)).toBe(
        spyMinuteBars().filter((b) => b.t >= SPY_WEEK.from && b.t < SPY_WEEK.to).length,
      );
    } finally {
      await keyless.close();
    }
    expect(fake.requestCount).toBe(0);
    expect(ctx.module.get(IngestionStatus).enabled).toBe(true);
  });
});
