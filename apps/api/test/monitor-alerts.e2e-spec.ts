import { Client } from 'pg';
import request from 'supertest';
import { BackfillJobQueue } from '@app/backfill';
import type { Env } from '@app/config';
import { MINUTE_MS, sleep } from '@app/core';
import { IngestionService } from '@app/ingestion';
import { CandleRepository } from '@app/market-data';
import { AlertTicker, StorageMonitor } from '@app/monitoring/testing';
import { FakePolygonServer } from '@app/polygon/testing';
import { ENGINES, type TestApp, type TestDatabase, TestRedisServer, freePort, openTestDatabase, relayTo } from '@app/testing';
import { FRIDAY_11_NY, ManualClock, backfillEnv, tickAndSettle, withClock } from './backfill-support';
import { createTestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/** Every alert fires at the first evaluation that sees it; the timer is left idle (the test ticks). */
const ALERTS_AT_ONCE: Env = {
  ALERT_EVALUATION_INTERVAL: '1h',
  ALERT_FOR:
    'MarketDataSlowRoute:0s,ProviderRateLimited:0s,StorageNearlyFull:0s,BackfillFailed:0s,MarketDataStale:0s,DatabaseUnreachable:0s',
  STORAGE_SAMPLE_INTERVAL: '1h',
};

interface AlertsBody {
  firing: { alertname: string; labels: Record<string, string>; summary: string }[];
  recent: { alertname: string; status: string; labels: Record<string, string>; notification: { sentAt: string | null } }[];
}

async function alertsOf(t: TestApp): Promise<AlertsBody> {
  return (await request(t.server).get('/api/v1/monitor/alerts').expect(200)).body as AlertsBody;
}

const firingNames = async (t: TestApp): Promise<string[]> => (await alertsOf(t)).firing.map((a) => a.alertname);
const tick = (t: TestApp): Promise<void> => t.app.get(AlertTicker).tick();

function bar(symbol: string, time: number) {
  return { symbol, timeframe: '1m' as const, time, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, vwap: 1.2, trades: 3 };
}

describe.each(ENGINES)('alerts on %s', (engine) => {
  let fake: FakePolygonServer;
  let clock: ManualClock;

  beforeEach(async () => {
    fake = await FakePolygonServer.start();
    clock = new ManualClock(FRIDAY_11_NY);
  });

  afterEach(() => fake.stop());

  it('BackfillFailed fires labelled 1m when a 1m job fails (provider 404), shows in /health, and resolves after a good backfill', async () => {
    const t = await createTestApp(engine, { env: { ...backfillEnv(fake), ...ALERTS_AT_ONCE }, customize: withClock(clock) });
    try {
      fake.faults.enqueue('not-found');
      await request(t.server)
        .post('/api/v1/symbols')
        .send({ symbol: 'ZZZZ', timeframes: ['1m'] })
        .expect(201);
      await tickAndSettle(t);
      await tick(t);
      const firing = (await alertsOf(t)).firing;
      expect(firing).toEqual([expect.objectContaining({ alertname: 'BackfillFailed', labels: { timeframe: '1m' } })]);
      expect(firing[0].summary).toMatch(/1m backfill job\(s\) failed \(ZZZZ\)/);
      const health = await request(t.server).get('/health').expect(200);
      expect(health.body.details.alerts.firing).toEqual([
        expect.objectContaining({ alertname: 'BackfillFailed', labels: { timeframe: '1m' } }),
      ]);

      await request(t.server)
        .post('/api/v1/symbol/ZZZZ/backfill')
        .send({ timeframes: ['1m'] })
        .expect(202);
      await t.app.get(BackfillJobQueue).whenIdle();
      await tick(t);
      const after = await alertsOf(t);
      expect(after.firing).toEqual([]);
      expect(after.recent.map((e) => `${e.alertname}:${e.status}:${e.labels.timeframe}`)).toEqual([
        'BackfillFailed:resolved:1m',
        'BackfillFailed:firing:1m',
      ]);
    } finally {
      await t.close();
    }
  });

  it('ProviderRateLimited fires after a provider 429 and resolves once ALERT_WINDOW has passed without one', async () => {
    const t = await createTestApp(engine, {
      env: { ...backfillEnv(fake), ...ALERTS_AT_ONCE, ALERT_WINDOW: '5m' },
      customize: withClock(clock),
    });
    try {
      await tick(t);
      expect(await firingNames(t)).toEqual([]);
      fake.faults.enqueue('rate-limit');
      await t.app.get(IngestionService).ingest('X:ETHUSD', '1m', FRIDAY_11_NY - 60 * MINUTE_MS, FRIDAY_11_NY);
      await tick(t);
      expect(await firingNames(t)).toEqual(['ProviderRateLimited']);
      clock.advance(6 * MINUTE_MS);
      await tick(t);
      expect(await firingNames(t)).toEqual([]);
      expect((await alertsOf(t)).recent.map((e) => e.status)).toEqual(['resolved', 'firing']);
    } finally {
      await t.close();
    }
  });

  it('MarketDataStale fires when the newest 1m bar is older than ALERT_STALE_AFTER while the market is open, and resolves when a fresh bar lands', async () => {
    const realNow = Date.now();
    clock.set(realNow);
    const t = await createTestApp(engine, {
      env: { ...backfillEnv(fake), ...ALERTS_AT_ONCE, BACKFILL_ENABLED: 'false', ALERT_STALE_AFTER: '10m' },
      customize: withClock(clock),
    });
    try {
      await request(t.server)
        .post('/api/v1/symbols')
        .send({ symbol: 'X:BTCUSD', timeframes: ['1m', '1h'] })
        .expect(201);
      const candles = t.app.get(CandleRepository);
      await candles.upsertMany([bar('X:BTCUSD', Math.floor(realNow / MINUTE_MS) * MINUTE_MS - MINUTE_MS)]);
      clock.advance(5 * MINUTE_MS);
      await tick(t);
      expect(await firingNames(t)).toEqual([]);

      clock.advance(25 * MINUTE_MS); // 30 minutes without a bar: crypto trades around the clock
      await tick(t);
      const [stale] = (await alertsOf(t)).firing;
      expect(stale).toMatchObject({ alertname: 'MarketDataStale', labels: { timeframe: '1m' } });
      expect(stale.summary).toMatch(/1 tracked symbol\(s\) have no 1m bar in the last 10m .*X:BTCUSD/);
      const metrics = await request(t.server).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^market_data_stale_series 1$/m);

      await candles.upsertMany([bar('X:BTCUSD', Math.floor(clock.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS)]);
      await tick(t);
      expect(await firingNames(t)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('alerts on postgresql with two instances, a webhook receiver and real faults', () => {
  let fake: FakePolygonServer;
  let clock: ManualClock;
  let receiver: WebhookReceiver;
  let testDatabase: TestDatabase;

  beforeEach(async () => {
    fake = await FakePolygonServer.start();
    clock = new ManualClock(FRIDAY_11_NY);
    receiver = await WebhookReceiver.start();
    testDatabase = await openTestDatabase('postgresql');
  });

  afterEach(async () => {
    await fake.stop();
    await receiver.stop();
    await testDatabase.dispose();
  });

  const twoInstances = (env: Env, database: TestDatabase = testDatabase): Promise<TestApp[]> =>
    Promise.all(
      [0, 1].map(() =>
        createTestApp('postgresql', {
          testDatabase: database,
          env: { ...backfillEnv(fake), ...ALERTS_AT_ONCE, ALERT_WEBHOOK_URL: receiver.url, ...env },
          customize: withClock(clock),
        }),
      ),
    );

  it('tells the receiver once of a firing and once of its resolution, and a receiver that was down gets it when it returns', async () => {
    const apps = await twoInstances({});
    try {
      await receiver.stop();
      fake.faults.enqueue('not-found');
      await request(apps[0].server)
        .post('/api/v1/symbols')
        .send({ symbol: 'ZZZZ', timeframes: ['1m'] })
        .expect(201);
      await tickAndSettle(apps[0]);
      await Promise.all(apps.map(tick));
      expect((await alertsOf(apps[1])).recent[0]).toMatchObject({
        alertname: 'BackfillFailed',
        status: 'firing',
        notification: { sentAt: null },
      });

      await receiver.listen(); // back on the same port
      clock.advance(2_000); // past the first retry's backoff
      await Promise.all(apps.map(tick));
      await Promise.all(apps.map(tick));
      expect(receiver.statusesOf('BackfillFailed')).toEqual(['firing']);
      const [message] = receiver.messages;
      expect(message).toMatchObject({
        version: '4',
        status: 'firing',
        receiver: 'market-data-api',
        groupLabels: { alertname: 'BackfillFailed' },
      });
      expect(message.alerts[0]).toMatchObject({
        status: 'firing',
        labels: { alertname: 'BackfillFailed', timeframe: '1m', severity: 'warning' },
      });

      await request(apps[1].server)
        .post('/api/v1/symbol/ZZZZ/backfill')
        .send({ timeframes: ['1m'] })
        .expect(202);
      await Promise.all(apps.map((t) => t.app.get(BackfillJobQueue).whenIdle()));
      await Promise.all(apps.map(tick));
      await Promise.all(apps.map(tick));
      expect(receiver.statusesOf('BackfillFailed')).toEqual(['firing', 'resolved']);
      expect(receiver.messages[1].alerts[0].fingerprint).toBe(message.alerts[0].fingerprint);
    } finally {
      await Promise.all(apps.map((t) => t.close()));
    }
  });

  it('DatabaseUnreachable: two instances sharing Redis tell the receiver once when the database goes away and once when it returns', async () => {
    const redis = await TestRedisServer.start();
    if (testDatabase.target.kind !== 'url') throw new Error('expected a URL target');
    const port = await freePort();
    const viaRelay = new URL(testDatabase.target.url);
    viaRelay.port = String(port);
    let relay = relayTo(new URL(testDatabase.target.url));
    await relay.listen(port);
    const apps = await twoInstances({ REDIS_URL: redis.url }, { ...testDatabase, target: { kind: 'url', url: viaRelay.toString() } });
    try {
      await Promise.all(apps.map(tick)); // learns the database's name for the shared claim
      await relay.close();
      await Promise.all(apps.map(tick));
      await Promise.all(apps.map(tick));
      expect(receiver.statusesOf('DatabaseUnreachable')).toEqual(['firing']);
      for (const t of apps) expect(await firingNames(t)).toEqual(['DatabaseUnreachable']);

      relay = relayTo(new URL(testDatabase.target.url));
      await relay.listen(port);
      for (let i = 0; i < 50 && !(await Promise.all(apps.map((t) => t.database.status()))).every((s) => s.connected); i++) await sleep(100);
      await Promise.all(apps.map(tick));
      await Promise.all(apps.map(tick));
      expect(receiver.statusesOf('DatabaseUnreachable')).toEqual(['firing', 'resolved']);
      const history = (await alertsOf(apps[0])).recent.filter((e) => e.alertname === 'DatabaseUnreachable');
      expect(history.map((e) => e.status)).toEqual(['resolved', 'firing']);
    } finally {
      await Promise.all(apps.map((t) => t.close()));
      await relay.close();
      await redis.stop();
    }
  });

  it('MarketDataSlowRoute fires when candle reads wait on a locked table, and resolves once the route is fast again', async () => {
    const [t] = await Promise.all([
      createTestApp('postgresql', {
        testDatabase,
        env: { ...backfillEnv(fake), ...ALERTS_AT_ONCE, ALERT_SLOW_ROUTE_MS: '300', CACHE_ENABLED: 'false' },
      }),
    ]);
    if (testDatabase.target.kind !== 'url') throw new Error('expected a URL target');
    const locker = new Client({ connectionString: testDatabase.target.url });
    await locker.connect();
    const route = 'GET /api/v1/asset/:symbol/candles';
    const candles = '/api/v1/asset/SPY/candles?timeframe=1m&start=2024-03-15T14:00:00Z&end=2024-03-15T15:00:00Z';
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE market_data IN ACCESS EXCLUSIVE MODE');
      const slow = request(t.server).get(candles).expect(200).then(); // sent now: supertest waits for then()
      await sleep(700);
      await locker.query('COMMIT');
      await slow;
      await tick(t);
      const [alert] = (await alertsOf(t)).firing;
      expect(alert).toMatchObject({ alertname: 'MarketDataSlowRoute', labels: { route } });
      expect(alert.summary).toMatch(/p95 \d+ ms over the last 5m \(1 requests; threshold 300 ms\)/);

      for (let i = 0; i < 40; i++) await request(t.server).get(candles).expect(200);
      await tick(t);
      expect(await firingNames(t)).toEqual([]);
    } finally {
      await locker.end();
      await t.close();
    }
  });

  it('StorageNearlyFull fires when the database is over 80% of STORAGE_CAPACITY_BYTES and resolves when the capacity grows', async () => {
    const sizeOf = async (t: TestApp) =>
      Number((await t.database.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes'))[0].bytes);
    const probe = await createTestApp('postgresql', { testDatabase, env: ALERTS_AT_ONCE });
    const size = await sizeOf(probe);
    await probe.close();
    const withCapacity = (bytes: number) =>
      createTestApp('postgresql', { testDatabase, env: { ...ALERTS_AT_ONCE, STORAGE_CAPACITY_BYTES: String(bytes) } });

    const tight = await withCapacity(Math.round(size * 1.05));
    try {
      await tight.app.get(StorageMonitor).sampleNow();
      await tick(tight);
      const [alert] = (await alertsOf(tight)).firing;
      expect(alert).toMatchObject({ alertname: 'StorageNearlyFull', labels: {} });
      expect(alert.summary).toMatch(/storage at 9\d\.\d% of/);
    } finally {
      await tight.close();
    }
    const roomy = await withCapacity(size * 100);
    try {
      await roomy.app.get(StorageMonitor).sampleNow();
      await tick(roomy);
      expect(await firingNames(roomy)).toEqual([]);
      expect((await alertsOf(roomy)).recent.map((e) => `${e.alertname}:${e.status}`)).toEqual([
        'StorageNearlyFull:resolved',
        'StorageNearlyFull:firing',
      ]);
    } finally {
      await roomy.close();
    }
  });
});
