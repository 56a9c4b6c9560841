import { Client } from 'pg';
import request from 'supertest';
import { BackfillJobQueue } from '@app/backfill';
import type { Env } from '@app/config';
import { DAY_MS, MINUTE_MS, sleep } from '@app/core';
import { IngestionService } from '@app/ingestion';
import { CandleRepository } from '@app/market-data';
import { AlertTicker, StorageMonitor } from '@app/monitoring/testing';
import { FakePolygonServer } from '@app/polygon/testing';
import type { Engine } from '@app/database';
import { ENGINES, type TestApp, type TestDatabase, TestRedisServer, openTestDatabase, relayedDatabase } from '@app/testing';
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

/** Two instances on one database (`testDatabase`, or a fresh one the first owns), both telling `receiver`. */
async function twoInstancesOn(
  engine: Engine,
  env: Env,
  clock: ManualClock,
  receiver: WebhookReceiver,
  testDatabase?: TestDatabase,
): Promise<TestApp[]> {
  const options = { env: { ...ALERTS_AT_ONCE, ALERT_WEBHOOK_URL: receiver.url, ...env }, customize: withClock(clock) };
  const first = await createTestApp(engine, { ...options, testDatabase });
  return [first, await createTestApp(engine, { ...options, testDatabase: testDatabase ?? first.testDatabase })];
}

/** Both instances evaluate (one at a time holds the lock) and deliver what is owed. */
async function tickBoth(apps: TestApp[]): Promise<void> {
  for (const t of apps) await tick(t);
  for (const t of apps) await tick(t);
}

const closeAll = async (apps: TestApp[]): Promise<void> => {
  for (const t of [...apps].reverse()) await t.close();
};

describe.each(ENGINES)('alerts on %s, two instances and a webhook receiver', (engine) => {
  let fake: FakePolygonServer;
  let clock: ManualClock;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    fake = await FakePolygonServer.start();
    clock = new ManualClock(FRIDAY_11_NY);
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    await fake.stop();
    await receiver.stop();
  });

  it('BackfillFailed fires labelled 1m when a 1m job fails (provider 404), shows in /health, and resolves after a good backfill', async () => {
    const apps = await twoInstancesOn(engine, backfillEnv(fake), clock, receiver);
    const [t, other] = apps;
    try {
      fake.faults.enqueue('not-found');
      await request(t.server)
        .post('/api/v1/symbols')
        .send({ symbol: 'ZZZZ', timeframes: ['1m'] })
        .expect(201);
      await tickAndSettle(t);
      await tickBoth(apps);
      const firing = (await alertsOf(other)).firing;
      expect(firing).toEqual([expect.objectContaining({ alertname: 'BackfillFailed', labels: { timeframe: '1m' } })]);
      expect(firing[0].summary).toMatch(/1 1m backfill job\(s\) failed \(ZZZZ\)/);
      const health = await request(other.server).get('/health').expect(200);
      expect(health.body.details.alerts.firing).toEqual([
        expect.objectContaining({ alertname: 'BackfillFailed', labels: { timeframe: '1m' } }),
      ]);

      await request(t.server)
        .post('/api/v1/symbol/ZZZZ/backfill')
        .send({ timeframes: ['1m'] })
        .expect(202);
      await t.app.get(BackfillJobQueue).whenIdle();
      await tickBoth(apps);
      const after = await alertsOf(t);
      expect(after.firing).toEqual([]);
      expect(after.recent.map((e) => `${e.alertname}:${e.status}:${e.labels.timeframe}`)).toEqual([
        'BackfillFailed:resolved:1m',
        'BackfillFailed:firing:1m',
      ]);
      expect(receiver.statusesOf('BackfillFailed')).toEqual(['firing', 'resolved']);
      expect(receiver.messages[0].alerts[0].labels).toMatchObject({ alertname: 'BackfillFailed', timeframe: '1m' });
    } finally {
      await closeAll(apps);
    }
  });

  it('ProviderRateLimited fires after a provider 429 on either instance and resolves once ALERT_WINDOW has passed without one', async () => {
    const apps = await twoInstancesOn(engine, { ...backfillEnv(fake), ALERT_WINDOW: '5m' }, clock, receiver);
    try {
      await tickBoth(apps);
      expect(await firingNames(apps[0])).toEqual([]);
      fake.faults.enqueue('rate-limit');
      await apps[1].app.get(IngestionService).ingest('X:ETHUSD', '1m', FRIDAY_11_NY - 60 * MINUTE_MS, FRIDAY_11_NY);
      await tickBoth(apps);
      expect(await firingNames(apps[0])).toEqual(['ProviderRateLimited']);
      clock.advance(6 * MINUTE_MS);
      await tickBoth(apps);
      expect(await firingNames(apps[0])).toEqual([]);
      expect((await alertsOf(apps[0])).recent.map((e) => e.status)).toEqual(['resolved', 'firing']);
      expect(receiver.statusesOf('ProviderRateLimited')).toEqual(['firing', 'resolved']);

      clock.advance(91 * DAY_MS); // history is kept 90 days, then pruned once delivered
      await tickBoth(apps);
      expect((await alertsOf(apps[0])).recent).toEqual([]);
    } finally {
      await closeAll(apps);
    }
  });

  it('MarketDataStale fires when the newest 1m bar is older than ALERT_STALE_AFTER while the market is open, and resolves when a fresh bar lands', async () => {
    const realNow = Date.now();
    clock.set(realNow);
    const apps = await twoInstancesOn(
      engine,
      { ...backfillEnv(fake), BACKFILL_ENABLED: 'false', ALERT_STALE_AFTER: '10m' },
      clock,
      receiver,
    );
    const [t] = apps;
    try {
      await request(t.server)
        .post('/api/v1/symbols')
        .send({ symbol: 'X:BTCUSD', timeframes: ['1m', '1h'] })
        .expect(201);
      const candles = t.app.get(CandleRepository);
      await candles.upsertMany([bar('X:BTCUSD', Math.floor(realNow / MINUTE_MS) * MINUTE_MS - MINUTE_MS)]);
      clock.advance(5 * MINUTE_MS);
      await tickBoth(apps);
      expect(await firingNames(t)).toEqual([]);

      clock.advance(25 * MINUTE_MS); // 30 minutes without a bar: crypto trades around the clock
      await tickBoth(apps);
      const [stale] = (await alertsOf(t)).firing;
      expect(stale).toMatchObject({ alertname: 'MarketDataStale', labels: { timeframe: '1m' } });
      expect(stale.summary).toMatch(/1 tracked symbol\(s\) have no 1m bar in the last 10m .*X:BTCUSD/);
      // Set by whichever instance evaluated; Prometheus rules take the max across instances.
      const gauges = await Promise.all(apps.map(async (a) => (await request(a.server).get('/metrics').expect(200)).text));
      expect(Math.max(...gauges.map((text) => Number(/^market_data_stale_series (\d+)$/m.exec(text)?.[1])))).toBe(1);

      await candles.upsertMany([bar('X:BTCUSD', Math.floor(clock.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS)]);
      await tickBoth(apps);
      expect(await firingNames(t)).toEqual([]);
      expect(receiver.statusesOf('MarketDataStale')).toEqual(['firing', 'resolved']);
    } finally {
      await closeAll(apps);
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
    twoInstancesOn('postgresql', { ...backfillEnv(fake), ...env }, clock, receiver, database);

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
      await closeAll(apps);
    }
  });

  it('DatabaseUnreachable: two instances sharing Redis tell the receiver once when the database goes away and once when it returns', async () => {
    const redis = await TestRedisServer.start();
    const relayed = await relayedDatabase(testDatabase);
    const apps = await twoInstances({ REDIS_URL: redis.url }, relayed.testDatabase);
    try {
      await Promise.all(apps.map(tick)); // learns the database's name for the shared claim
      await relayed.cut();
      await Promise.all(apps.map(tick));
      await Promise.all(apps.map(tick));
      expect(receiver.statusesOf('DatabaseUnreachable')).toEqual(['firing']);
      for (const t of apps) expect(await firingNames(t)).toEqual(['DatabaseUnreachable']);

      await relayed.restore();
      for (let i = 0; i < 50 && !(await Promise.all(apps.map((t) => t.database.status()))).every((s) => s.connected); i++) await sleep(100);
      await Promise.all(apps.map(tick));
      await Promise.all(apps.map(tick));
      expect(receiver.statusesOf('DatabaseUnreachable')).toEqual(['firing', 'resolved']);
      const history = (await alertsOf(apps[0])).recent.filter((e) => e.alertname === 'DatabaseUnreachable');
      expect(history.map((e) => e.status)).toEqual(['resolved', 'firing']);
    } finally {
      await closeAll(apps);
      await relayed.cut();
      await redis.stop();
    }
  });

  it('MarketDataSlowRoute fires when candle reads wait on a locked table, and resolves once the route is fast again', async () => {
    const apps = await twoInstances({ ALERT_SLOW_ROUTE_MS: '300', CACHE_ENABLED: 'false' });
    const [t] = apps;
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
      await tickBoth(apps);
      const [alert] = (await alertsOf(apps[1])).firing;
      expect(alert).toMatchObject({ alertname: 'MarketDataSlowRoute', labels: { route } });
      expect(alert.summary).toMatch(/p95 \d+ ms over the last 5m \(1 requests; threshold 300 ms\)/);

      for (let i = 0; i < 40; i++) await request(t.server).get(candles).expect(200);
      await tickBoth(apps);
      expect(await firingNames(t)).toEqual([]);
      expect(receiver.statusesOf('MarketDataSlowRoute')).toEqual(['firing', 'resolved']);
      expect(receiver.messages[0].alerts[0].labels).toMatchObject({ route });
    } finally {
      await locker.end();
      await closeAll(apps);
    }
  });

  it('StorageNearlyFull fires when the database is over 80% of STORAGE_CAPACITY_BYTES and resolves when the capacity grows', async () => {
    const sizeOf = async (t: TestApp) =>
      Number((await t.database.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes'))[0].bytes);
    const probe = await createTestApp('postgresql', { testDatabase, env: ALERTS_AT_ONCE });
    const size = await sizeOf(probe);
    await probe.close();
    const withCapacity = (bytes: number) =>
      createTestApp('postgresql', {
        testDatabase,
        env: { ...ALERTS_AT_ONCE, ALERT_WEBHOOK_URL: receiver.url, STORAGE_CAPACITY_BYTES: String(bytes) },
      });

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
      expect(receiver.statusesOf('StorageNearlyFull')).toEqual(['firing', 'resolved']);
    } finally {
      await roomy.close();
    }
  });
});
