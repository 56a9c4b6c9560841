import { Client } from 'pg';
import request from 'supertest';
import { BackfillJobQueue, BackfillScheduler, type JobRunReport } from '@app/backfill';
import { FakePolygonServer } from '@app/polygon/testing';
import { TestApp, TestDatabase, freePort, openTestDatabase, relayTo } from '@app/testing';
import { createTestApp } from './support/test-app';
import { FRIDAY_11_NY, ManualClock, aggregatesRequests, backfillEnv, tickAndSettle, withClock } from './backfill-support';

describe('database loss during a backfill', () => {
  let fake: FakePolygonServer;
  let testDatabase: TestDatabase;
  let t: TestApp;
  let direct: Client;
  let relay: ReturnType<typeof relayTo>;
  let port: number;
  const clock = new ManualClock(FRIDAY_11_NY);

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    testDatabase = await openTestDatabase('postgresql');
    if (testDatabase.target.kind !== 'url') throw new Error('expected a URL target');
    port = await freePort();
    relay = relayTo(new URL(testDatabase.target.url));
    await relay.listen(port);
    const viaRelay = new URL(testDatabase.target.url);
    viaRelay.port = String(port);
    t = await createTestApp('postgresql', {
      testDatabase: { ...testDatabase, target: { kind: 'url', url: viaRelay.toString() } },
      // 30 days of 1m in windows of ~2 trading days, one request every 200 ms: a few seconds of work to cut into.
      env: backfillEnv(fake, {
        BACKFILL_WINDOWS: '1m:30d',
        POLYGON_RATE_LIMIT_PER_MINUTE: '300',
        BACKFILL_CONCURRENCY: '1',
        LOG_LEVEL: 'error',
      }),
      customize: withClock(clock, { pageLimit: 2_000 }),
    });
    direct = new Client({ connectionString: testDatabase.target.url });
    await direct.connect();
  });

  afterAll(async () => {
    await t.close();
    await relay.close();
    await direct.end();
    await testDatabase.dispose();
    await fake.stop();
  });

  it('pauses the jobs while the database is gone and resumes them where they stopped when it returns', async () => {
    await request(t.server)
      .post('/api/v1/symbols')
      .send({ symbol: 'AAPL', timeframes: ['1m'] })
      .expect(201);
    const reports: JobRunReport[] = [];
    t.app.get(BackfillJobQueue).reports.subscribe((r) => reports.push(r));
    await t.app.get(BackfillScheduler).tick();

    // Cut the database once a few windows are in.
    for (;;) {
      const { rows } = await direct.query<{ requests: string }>('SELECT coalesce(sum(requests), 0) AS requests FROM backfill_checkpoints');
      if (Number(rows[0].requests) >= 4) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await relay.close();
    await t.app.get(BackfillJobQueue).whenIdle();
    expect(reports.map((r) => r.outcome)).toEqual(['paused']);
    const requestsAtLoss = fake.requestCount;
    const { rows: coveredAtLoss } = await direct.query<{ start: number; end: number }>(
      `SELECT (extract(epoch FROM lower(r)) * 1000)::float8 AS start, (extract(epoch FROM upper(r)) * 1000)::float8 AS end
       FROM backfill_checkpoints, unnest(covered) AS r`,
    );

    // While it is gone: ticks find nothing to do and send nothing.
    await tickAndSettle(t);
    expect(t.app.get(BackfillScheduler).isPaused).toBe(true);
    expect(fake.requestCount).toBe(requestsAtLoss);

    relay = relayTo(new URL((testDatabase.target as { url: string }).url));
    await relay.listen(port);
    await tickAndSettle(t);
    expect(t.app.get(BackfillScheduler).isPaused).toBe(false);
    expect(reports[reports.length - 1].outcome).toBe('done');

    const resumed = aggregatesRequests(fake, requestsAtLoss);
    expect(resumed.length).toBeGreaterThan(0);
    for (const sent of resumed) expect(coveredAtLoss.some((c) => c.start <= sent.from && sent.to < c.end)).toBe(false);
    const keys = aggregatesRequests(fake).map((r) => `${r.from} ${r.to}`);
    expect(keys.length - new Set(keys).size).toBeLessThanOrEqual(1); // the window in flight when the database went

    const job = (await request(t.server).get('/api/v1/backfill/jobs').expect(200)).body.jobs[0];
    expect(job).toMatchObject({ state: 'done', progressPercent: 100 });
    const start = Date.parse(job.target[0].start);
    const { rows } = await direct.query<{ n: string }>(
      `SELECT count(*) AS n FROM market_data WHERE symbol = 'AAPL' AND timeframe = '1m' AND time >= to_timestamp($1::float8 / 1000) AND time < to_timestamp($2::float8 / 1000)`,
      [start, FRIDAY_11_NY],
    );
    expect(Number(rows[0].n)).toBe(fake.market.minuteBars('AAPL', start, FRIDAY_11_NY, true).length);
  });
});
