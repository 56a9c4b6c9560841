import type { Registry } from 'prom-client';
import request from 'supertest';
import { CandleRepository } from '@app/market-data';
import { IngestionService, IngestionStatus } from '@app/ingestion';
import { METRICS_REGISTRY } from '@app/metrics';
import { POLYGON_TUNING } from '@app/polygon';
import { MARKET_DATA_PROVIDER, type MarketDataProvider } from '@app/provider';
import { FakePolygonServer, polygonCounts } from '@app/polygon/testing';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';

const KEY = 'pk_app_test_0123456789abcdef';

describe.each(ENGINES)('ingestion inside the API on %s', (engine) => {
  let fake: FakePolygonServer;
  let t: TestApp;

  beforeAll(async () => {
    fake = await FakePolygonServer.start({ apiKey: KEY });
    t = await createTestApp(engine, {
      env: { POLYGON_API_KEY: KEY, POLYGON_BASE_URL: fake.url, POLYGON_RATE_LIMIT_PER_MINUTE: '100000' },
      customize: (builder) => builder.overrideProvider(POLYGON_TUNING).useValue({ backoffBaseMs: 5, backoffMaxMs: 20 }),
    });
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('wires the Polygon client, the ingestion service and its status into the app', async () => {
    expect(t.app.get(IngestionStatus).toJSON()).toEqual({ enabled: true, provider: 'polygon' });
    const provider = t.app.get<MarketDataProvider>(MARKET_DATA_PROVIDER);
    expect(provider.isConfigured).toBe(true);
    fake.faults.enqueue('server-error');
    const result = await t.app.get(IngestionService).ingest('X:BTCUSD', '1h', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 3));
    expect(result).toMatchObject({ requests: 2, bars: 48, written: 48 });
    expect(await t.app.get(CandleRepository).count('X:BTCUSD', '1h', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 3))).toBe(48);
    const registry = t.app.get<Registry>(METRICS_REGISTRY);
    expect(await polygonCounts(registry)).toMatchObject({ requests: 2, retries: 1, barsFetched: 48 });
    expect(await registry.metrics()).toContain('polygon_bars_fetched_total{timeframe="1h"} 48');
    await request(t.server).get('/health').expect(200);
  });
});

describe('the API without POLYGON_API_KEY', () => {
  it('starts, answers /health and reports ingestion off', async () => {
    const t = await createTestApp('postgresql');
    try {
      await request(t.server).get('/health').expect(200);
      const status = t.app.get(IngestionStatus);
      expect(status.enabled).toBe(false);
      expect(status.reason).toBe('POLYGON_API_KEY is not set');
      expect(t.app.get<MarketDataProvider>(MARKET_DATA_PROVIDER).isConfigured).toBe(false);
    } finally {
      await t.close();
    }
  });
});
