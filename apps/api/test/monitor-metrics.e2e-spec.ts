import type { Registry } from 'prom-client';
import request from 'supertest';
import { IngestionService } from '@app/ingestion';
import { METRICS_REGISTRY } from '@app/metrics';
import { FakePolygonServer } from '@app/polygon/testing';
import { ENGINES, type TestApp } from '@app/testing';
import { metricSample as sample } from './support/metric-sample';
import { createTestApp } from './support/test-app';

const SYMBOL = 'X:ETHUSD';
const FROM = Date.UTC(2024, 0, 5, 0);
const TO = Date.UTC(2024, 0, 5, 3);
const BUDGET = 600;

describe.each(ENGINES)('request, read and query metrics on %s', (engine) => {
  let fake: FakePolygonServer;
  let t: TestApp;
  let text: string;

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    t = await createTestApp(engine, {
      env: { POLYGON_API_KEY: 'test-key', POLYGON_BASE_URL: fake.url, POLYGON_RATE_LIMIT_PER_MINUTE: String(BUDGET) },
    });
    await t.app.get(IngestionService).ingest(SYMBOL, '1m', FROM, TO);
    const candles = (timeframe: string) => `/api/v1/asset/${SYMBOL}/candles?timeframe=${timeframe}&start=${FROM}&end=${TO}`;
    await request(t.server).get(candles('1m')).expect(200);
    await request(t.server).get(candles('1m')).expect(200); // from the cache: a request, not a read
    await request(t.server)
      .get(`${candles('1h')}&source=derived`)
      .expect(200);
    await request(t.server).get(candles('2m')).expect(400);
    await request(t.server).get('/api/v1/no-such-route/ETH').expect(404);
    text = await t.app.get<Registry>(METRICS_REGISTRY).metrics();
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('times requests by method, route pattern and status, refused and unmatched ones too', () => {
    const route = 'route="/api/v1/asset/:symbol/candles"';
    expect(sample(text, `http_request_duration_seconds_count{method="GET",${route},status="200"}`)).toBe(3);
    expect(sample(text, `http_request_duration_seconds_count{method="GET",${route},status="400"}`)).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, `http_request_duration_seconds_bucket{le="0.5",method="GET",${route},status="200"}`)).toBeDefined();
  });

  it('times candle reads from the database by timeframe and source, not cache hits', () => {
    expect(sample(text, 'candle_read_duration_seconds_count{timeframe="1m",source="native"}')).toBe(1);
    expect(sample(text, 'candle_read_duration_seconds_count{timeframe="1h",source="derived"}')).toBe(1);
  });

  it('times statements by kind', () => {
    expect(sample(text, 'db_query_duration_seconds_count{kind="select"}')).toBeGreaterThan(0);
  });

  it('says how much of the provider budget this instance used', () => {
    const requests = text
      .split('\n')
      .filter((l) => l.startsWith('polygon_requests_total{'))
      .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
    expect(requests).toBeGreaterThan(0);
    expect(sample(text, 'polygon_budget_used_ratio')).toBeCloseTo(requests / BUDGET, 10);
  });

  it('labels nothing with a symbol or a path', () => {
    expect(text).not.toContain('ETHUSD');
    expect(text).not.toContain('no-such-route');
  });

  if (engine === 'postgresql') {
    it('reports the pool: connections in use, idle and waiting', () => {
      expect(sample(text, 'db_pool_connections{state="in_use"}')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'db_pool_connections{state="idle"}')).toBeGreaterThan(0);
      expect(sample(text, 'db_pool_connections{state="waiting"}')).toBe(0);
    });
  }
});
