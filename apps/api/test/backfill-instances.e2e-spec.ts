import type { Registry } from 'prom-client';
import request from 'supertest';
import { METRICS_REGISTRY } from '@app/metrics';
import { FakePolygonServer } from '@app/polygon/testing';
import { TestApp, TestDatabase, openTestDatabase } from '@app/testing';
import { createTestApp } from './support/test-app';
import { FRIDAY_11_NY, ManualClock, aggregatesRequests, backfillEnv, storedBars, tickAndSettle, withClock } from './backfill-support';

const MINUTE = 60_000;
const DAY = 86_400_000;
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META'];

describe('two instances on one database', () => {
  let fake: FakePolygonServer;
  let testDatabase: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  const clock = new ManualClock(FRIDAY_11_NY);

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    testDatabase = await openTestDatabase('postgresql');
    // Small pages so each job takes several windows, and a rate that keeps both instances busy at once.
    const env = backfillEnv(fake, { POLYGON_RATE_LIMIT_PER_MINUTE: '1200', BACKFILL_CONCURRENCY: '3' });
    const customize = withClock(clock, { pageLimit: 2_000 });
    [first, second] = await Promise.all([
      createTestApp('postgresql', { testDatabase, env, customize }),
      createTestApp('postgresql', { testDatabase, env, customize }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await testDatabase.dispose();
    await fake.stop();
  });

  it('runs each (symbol, timeframe) job on one instance at a time: every range is fetched once', async () => {
    for (const symbol of SYMBOLS) {
      await request(first.server)
        .post('/api/v1/symbols')
        .send({ symbol, timeframes: ['1m', '1h', '1d'] })
        .expect(201);
    }
    // Both instances look for due jobs at the same moment, several times, and refresh as time passes.
    for (let round = 0; round < 3; round++) {
      await Promise.all([tickAndSettle(first), tickAndSettle(second), tickAndSettle(first)]);
      clock.advance(MINUTE);
    }

    const sent = aggregatesRequests(fake);
    const keys = sent.map((r) => `${r.ticker} ${r.timeframe} ${r.from} ${r.to}`);
    expect(sent.length).toBeGreaterThan(SYMBOLS.length * 3);
    expect(keys.length - new Set(keys).size).toBe(0);
    expect(sent.every((r) => r.status === 200)).toBe(true);

    // Both instances did work, and the result is complete.
    for (const app of [first, second]) {
      const bars = (await app.app.get<Registry>(METRICS_REGISTRY).getMetricsAsJSON()).find((m) => m.name === 'backfill_bars_total');
      expect(bars?.values.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThan(0);
    }
    const jobs = (await request(second.server).get('/api/v1/backfill/jobs').expect(200)).body.jobs;
    expect(jobs).toHaveLength(SYMBOLS.length * 3);
    expect(jobs.every((j: { state: string; progressPercent: number }) => j.state === 'done' && j.progressPercent === 100)).toBe(true);
    const start = FRIDAY_11_NY - 3 * DAY;
    for (const symbol of SYMBOLS) {
      const expected = fake.market.minuteBars(symbol, start, clock.now() - MINUTE, true).length;
      expect((await storedBars(first.database, symbol, '1m', start, clock.now() - MINUTE)).length).toBe(expected);
    }
  });
});
