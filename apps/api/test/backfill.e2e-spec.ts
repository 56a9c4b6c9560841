import request from 'supertest';
import { FakePolygonServer } from '@app/polygon/testing';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { FRIDAY_11_NY, ManualClock, aggregatesRequests, backfillEnv, storedBars, tickAndSettle, withClock } from './backfill-support';

const MINUTE = 60_000;
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe.each(ENGINES)('scheduled backfill and refresh on %s', (engine) => {
  let fake: FakePolygonServer;
  let t: TestApp;
  const clock = new ManualClock(FRIDAY_11_NY);
  const api = () => request(t.server);

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    t = await createTestApp(engine, { env: backfillEnv(fake), customize: withClock(clock) });
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('backfills a newly tracked symbol in each of its timeframes, without further action, and stores what the provider serves', async () => {
    await api()
      .post('/api/v1/symbols')
      .send({ symbol: 'aapl', timeframes: ['1m', '1d'] })
      .expect(201);
    await tickAndSettle(t);

    const jobs = (await api().get('/api/v1/backfill/jobs').expect(200)).body;
    expect(jobs.scheduler).toMatchObject({ enabled: true, ingestionEnabled: true, paused: false, concurrency: 4 });
    expect(
      jobs.jobs.map((j: { timeframe: string; state: string; progressPercent: number }) => [j.timeframe, j.state, j.progressPercent]),
    ).toEqual([
      ['1m', 'done', 100],
      ['1d', 'done', 100],
    ]);
    const minuteJob = jobs.jobs[0];
    expect(minuteJob).toMatchObject({ symbol: 'AAPL', tracked: true, errors: 0, nextRunAt: new Date(FRIDAY_11_NY + MINUTE).toISOString() });
    expect(minuteJob.bars).toBeGreaterThan(2_000);

    // 1m: the window [now - 3 days, now) is all in the table, bar for bar as the provider serves it.
    const start = FRIDAY_11_NY - 3 * DAY;
    const expected = fake.market.minuteBars('AAPL', start, FRIDAY_11_NY, true);
    const stored = await storedBars(t.database, 'AAPL', '1m', start, FRIDAY_11_NY);
    expect(stored.length).toBe(expected.length);
    expect(stored.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume])).toEqual(
      expected.map((b) => [b.t, b.o, b.h, b.l, b.c, b.v]),
    );
    // Day bars from Feb 15: 20 sessions (Presidents' Day closed) plus today's open bar.
    expect((await storedBars(t.database, 'AAPL', '1d', FRIDAY_11_NY - 30 * DAY, FRIDAY_11_NY)).length).toBe(21);
  });

  it('does nothing more until a refresh is due: nothing is fetched twice', async () => {
    const before = fake.requestCount;
    await tickAndSettle(t);
    await tickAndSettle(t);
    expect(fake.requestCount).toBe(before);
  });

  it('refreshes on the cadence, re-reading only the revision window, and absorbs late revisions', async () => {
    const since = fake.requestCount;
    fake.market.revise('AAPL', at('2024-03-15T14:50:00Z'), at('2024-03-15T14:51:00Z'));
    const [before] = await storedBars(t.database, 'AAPL', '1m', at('2024-03-15T14:50:00Z'), at('2024-03-15T14:51:00Z'));
    clock.advance(MINUTE);
    await tickAndSettle(t);

    const sent = aggregatesRequests(fake, since);
    // 1m is due (every minute), 1d is not (hourly): one request from the revision window's start to now.
    expect(sent).toEqual([
      { ticker: 'AAPL', timeframe: '1m', from: at('2024-03-15T14:40:00Z'), to: FRIDAY_11_NY + MINUTE - 1, status: 200 },
    ]);
    const [after] = await storedBars(t.database, 'AAPL', '1m', at('2024-03-15T14:50:00Z'), at('2024-03-15T14:51:00Z'));
    expect(after.close).toBeCloseTo(before.close + 0.0007, 10);
    expect(after.volume).toBe(before.volume + 100);
  });

  it('starts jobs for an added timeframe and stops those of a removed one', async () => {
    const since = fake.requestCount;
    clock.advance(MINUTE);
    await api()
      .put('/api/v1/symbol/AAPL/timeframes')
      .send({ timeframes: ['5m', '1d'] })
      .expect(200);
    await tickAndSettle(t);
    const sent = aggregatesRequests(fake, since);
    expect(new Set(sent.map((r) => r.timeframe))).toEqual(new Set(['5m']));

    const jobs = (await api().get('/api/v1/backfill/jobs?symbol=aapl').expect(200)).body.jobs;
    expect(jobs.map((j: { timeframe: string; state: string; tracked: boolean }) => [j.timeframe, j.state, j.tracked])).toEqual([
      ['1m', 'done', false],
      ['5m', 'done', true],
      ['1d', 'done', true],
    ]);
    expect(jobs[0].nextRunAt).toBeUndefined();
  });

  it('starts no job of a paused symbol; resumed, it is refreshed where its checkpoints stopped', async () => {
    const jobsOf = async (symbol: string) =>
      (await api().get(`/api/v1/backfill/jobs?symbol=${symbol}`).expect(200)).body.jobs as {
        timeframe: string;
        tracked: boolean;
        nextRunAt?: string;
        refreshedAt?: string;
      }[];
    await api().patch('/api/v1/symbol/AAPL').send({ active: false }).expect(200);
    const since = fake.requestCount;
    for (let i = 0; i < 3; i++) {
      clock.advance(30 * MINUTE); // past every refresh cadence
      await tickAndSettle(t);
    }
    expect(fake.requestCount).toBe(since);
    expect((await jobsOf('AAPL')).map((j) => [j.timeframe, j.tracked, j.nextRunAt])).toEqual([
      ['1m', false, undefined],
      ['5m', false, undefined],
      ['1d', false, undefined],
    ]);

    await api().patch('/api/v1/symbol/AAPL').send({ active: true }).expect(200);
    await tickAndSettle(t);
    const sent = aggregatesRequests(fake, since);
    expect(new Set(sent.map((r) => `${r.ticker} ${r.timeframe}`))).toEqual(new Set(['AAPL 5m', 'AAPL 1d']));
    const resumed = await jobsOf('AAPL');
    expect(resumed.map((j) => [j.timeframe, j.tracked])).toEqual([
      ['1m', false],
      ['5m', true],
      ['1d', true],
    ]);
    for (const job of resumed.slice(1)) expect(job.refreshedAt).toBe(new Date(clock.now()).toISOString());
  });

  it('sends no request while the market is closed (weekend refreshes)', async () => {
    clock.set(at('2024-03-16T15:00:00Z')); // Saturday
    await tickAndSettle(t); // catches up Friday's close: some requests
    const since = fake.requestCount;
    for (let i = 0; i < 3; i++) {
      clock.advance(10 * MINUTE);
      await tickAndSettle(t);
    }
    expect(fake.requestCount).toBe(since);
    const jobs = (await api().get('/api/v1/backfill/jobs?symbol=AAPL&timeframe=5m').expect(200)).body.jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0].refreshedAt).toBe(new Date(clock.now()).toISOString());
  });
});
