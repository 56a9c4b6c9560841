import request from 'supertest';
import { IngestionService } from '@app/ingestion';
import { FakePolygonServer } from '@app/polygon/testing';
import { ENGINES, type RelayedDatabase, type TestApp, type TestDatabase, openTestDatabase, relayedDatabase } from '@app/testing';
import { MINUTE_MS } from '@app/core';
import { LatencyWindows } from '@app/monitoring';
import { createTestApp } from './support/test-app';

const SYMBOL = 'X:ETHUSD';
const FROM = Date.UTC(2024, 0, 5, 0);
const TO = Date.UTC(2024, 0, 5, 3);
const CANDLES_ROUTE = 'GET /api/v1/asset/:symbol/candles';
const WINDOW = 5 * MINUTE_MS;
const candles = (timeframe: string) => `/api/v1/asset/${SYMBOL}/candles?timeframe=${timeframe}&start=${FROM}&end=${TO}`;

const countOf = (summaries: { key: string; count: number }[], key: string) => summaries.find((s) => s.key === key)?.count;

describe.each(ENGINES)('latency windows on %s', (engine) => {
  let fake: FakePolygonServer;
  let first: TestApp;
  let second: TestApp;
  const windowsOf = (t: TestApp) => t.app.get(LatencyWindows);

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    const env = { POLYGON_API_KEY: 'test-key', POLYGON_BASE_URL: fake.url };
    first = await createTestApp(engine, { env });
    // A second instance behind the same load balancer: the same database, its own slots.
    second = await createTestApp(engine, { env, testDatabase: first.testDatabase });
    await first.app.get(IngestionService).ingest(SYMBOL, '1m', FROM, TO);
    for (let i = 0; i < 3; i++) await request(first.server).get(candles('1m')).expect(200);
    for (let i = 0; i < 2; i++) await request(first.server).get(candles('5m')).expect(200);
    for (let i = 0; i < 2; i++) await request(first.server).get(candles('2m')).expect(400);
  });

  afterAll(async () => {
    await second?.close();
    await first?.close(); // disposes the shared database
    await fake.stop();
  });

  it('times every request per route pattern, refused ones too, with quantiles in order', async () => {
    const routes = await windowsOf(first).quantiles('route', WINDOW);
    const route = routes.find((r) => r.key === CANDLES_ROUTE);
    expect(route).toMatchObject({ count: 7 });
    expect(route!.p50).toBeGreaterThan(0);
    expect(route!.p95).toBeGreaterThanOrEqual(route!.p50!);
    expect(route!.p99).toBeGreaterThanOrEqual(route!.p95!);
    expect(route!.meanSeconds).toBeGreaterThan(0);
  });

  it('times successful candle requests per timeframe', async () => {
    const timeframes = await windowsOf(first).quantiles('timeframe', WINDOW);
    expect(timeframes.map((t) => [t.key, t.count])).toEqual([
      ['1m', 3],
      ['5m', 2],
    ]);
  });

  it("sums every instance's slots, and rewriting a slot counts nothing twice", async () => {
    for (let i = 0; i < 2; i++) await request(second.server).get(candles('1m')).expect(200);
    expect(countOf(await windowsOf(second).quantiles('timeframe', WINDOW), '1m')).toBe(5);
    // First's open slot, already written, gets one more request and is written again (twice).
    await request(first.server).get(candles('1m')).expect(200);
    await windowsOf(first).flush();
    await windowsOf(first).flush();
    expect(countOf(await windowsOf(first).quantiles('timeframe', WINDOW), '1m')).toBe(6);
    expect(countOf(await windowsOf(first).quantiles('route', WINDOW), CANDLES_ROUTE)).toBe(10);
    const [rows] = await first.database.query<{ instances: number }>(
      `SELECT count(DISTINCT instance)::int AS instances FROM latency_slots WHERE series = 'timeframe' AND key = '1m'`,
    );
    expect(rows.instances).toBe(2);
  });

  it('leaves out slots that started before the window', async () => {
    const later = Date.now() + 6 * MINUTE_MS;
    expect(countOf(await windowsOf(first).quantiles('route', WINDOW, later), CANDLES_ROUTE)).toBeUndefined();
    expect(countOf(await windowsOf(first).quantiles('route', 60 * MINUTE_MS, later), CANDLES_ROUTE)).toBe(10);
  });
});

describe.each(ENGINES)('latency windows with MONITOR_ENABLED=false on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { MONITOR_ENABLED: 'false' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('records nothing and exports no request histogram', async () => {
    await request(t.server).get(`/api/v1/asset/${SYMBOL}/candles?timeframe=2m`).expect(400);
    const metrics = await request(t.server).get('/metrics').expect(200);
    expect(metrics.text).not.toContain('http_request_duration_seconds');
    const windows = t.app.get(LatencyWindows);
    await windows.flush();
    expect(await windows.quantiles('route', WINDOW)).toEqual([]);
    expect(await t.database.query('SELECT 1 FROM latency_slots')).toEqual([]);
  });
});

describe('latency windows while the database is gone', () => {
  let testDatabase: TestDatabase;
  let t: TestApp;
  let relayed: RelayedDatabase;

  beforeAll(async () => {
    testDatabase = await openTestDatabase('postgresql');
    relayed = await relayedDatabase(testDatabase);
    t = await createTestApp('postgresql', { testDatabase: relayed.testDatabase });
  });

  afterAll(async () => {
    await t?.close();
    await relayed?.cut();
    await testDatabase?.dispose();
  });

  it('keeps what a failed write held and writes it once the database is back', async () => {
    for (let i = 0; i < 3; i++) await request(t.server).get('/metrics').expect(200);
    await relayed.cut();
    await expect(t.database.query('SELECT 1')).rejects.toThrow();
    const windows = t.app.get(LatencyWindows);
    await windows.flush(); // fails: kept
    await request(t.server).get('/metrics').expect(200);
    await windows.flush();

    await relayed.restore();
    expect(countOf(await windows.quantiles('route', WINDOW), 'GET /metrics')).toBe(4);
  });
});
