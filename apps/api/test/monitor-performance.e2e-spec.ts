import request from 'supertest';
import { IngestionService } from '@app/ingestion';
import { StorageMonitor } from '@app/monitoring/testing';
import { FakePolygonServer } from '@app/polygon/testing';
import { ENGINES, type TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';

const SYMBOL = 'X:ETHUSD';
const FROM = Date.UTC(2024, 0, 5, 0);
const TO = Date.UTC(2024, 0, 5, 6);

interface Summary {
  key: string;
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

describe.each(ENGINES)('GET /api/v1/monitor/performance on %s', (engine) => {
  let fake: FakePolygonServer;
  let t: TestApp;
  let body: {
    latency: Record<
      'last5Minutes' | 'lastHour',
      { routes: Summary[]; timeframes: Summary[]; minuteToFiveMinuteRatio: Record<'p50' | 'p95' | 'p99', number | null> }
    >;
    storage: { databaseBytes: number; timeframes: Record<string, { rows: number }> } | null;
    database: { bufferCacheHitRatio: number | null; indexes: { name: string }[] };
    provider: { budgetUsedRatio: number | null; requests: number | null };
    backfill: unknown[];
  };

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    t = await createTestApp(engine, {
      env: { POLYGON_API_KEY: 'test-key', POLYGON_BASE_URL: fake.url, POLYGON_RATE_LIMIT_PER_MINUTE: '600', CACHE_ENABLED: 'false' },
    });
    await t.app.get(IngestionService).ingest(SYMBOL, '1m', FROM, TO);
    await t.app.get(IngestionService).ingest(SYMBOL, '5m', FROM, TO);
    const candles = (timeframe: string) => `/api/v1/asset/${SYMBOL}/candles?timeframe=${timeframe}&start=${FROM}&end=${TO}`;
    for (let i = 0; i < 3; i++) await request(t.server).get(candles('1m')).expect(200);
    for (let i = 0; i < 2; i++) await request(t.server).get(candles('5m')).expect(200);
    await request(t.server).get(candles('2m')).expect(400);
    await t.app.get(StorageMonitor).sampleNow();
    body = (await request(t.server).get('/api/v1/monitor/performance').expect(200)).body;
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('has p50/p95/p99 per route over both windows, counting refused requests under their route', () => {
    for (const window of ['last5Minutes', 'lastHour'] as const) {
      const candles = body.latency[window].routes.find((r) => r.key === 'GET /api/v1/asset/:symbol/candles');
      expect(candles?.count).toBe(6);
      expect(candles?.p50).toBeGreaterThan(0);
      expect(candles?.p95).toBeGreaterThanOrEqual(candles?.p50 ?? Infinity);
      expect(candles?.p99).toBeGreaterThanOrEqual(candles?.p95 ?? Infinity);
    }
  });

  it('has candle latency per timeframe (answered requests only) and the 1m/5m ratio from them', () => {
    const { timeframes, minuteToFiveMinuteRatio } = body.latency.last5Minutes;
    const m1 = timeframes.find((s) => s.key === '1m');
    const m5 = timeframes.find((s) => s.key === '5m');
    expect([m1?.count, m5?.count]).toEqual([3, 2]);
    expect(timeframes.find((s) => s.key === '2m')).toBeUndefined();
    expect(minuteToFiveMinuteRatio.p95).toBeCloseTo((m1?.p95 ?? NaN) / (m5?.p95 ?? NaN), 12);
  });

  it('has the storage sample, database health, the provider budget and backfill outcomes', async () => {
    const rows = await t.database.query<{ timeframe: string; n: string }>(
      'SELECT timeframe, count(*) AS n FROM market_data GROUP BY timeframe',
    );
    expect(body.storage?.timeframes['1m'].rows).toBe(Number(rows.find((r) => r.timeframe === '1m')?.n));
    expect(body.storage?.timeframes['5m'].rows).toBe(Number(rows.find((r) => r.timeframe === '5m')?.n));
    expect(body.database.indexes.map((i) => i.name)).toContain('market_data_pkey');
    expect(body.provider.requests).toBe(fake.requestCount);
    expect(body.provider.budgetUsedRatio).toBeCloseTo(fake.requestCount / 600, 6);
    expect(body.backfill).toEqual([]);
  });
});
