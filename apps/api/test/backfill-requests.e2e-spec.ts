import type { Registry } from 'prom-client';
import request from 'supertest';
import { BackfillJobQueue, type JobRunReport } from '@app/backfill';
import { METRICS_REGISTRY } from '@app/metrics';
import { FakePolygonServer } from '@app/polygon/testing';
import { TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { FRIDAY_11_NY, ManualClock, aggregatesRequests, backfillEnv, storedBars, tickAndSettle, withClock } from './backfill-support';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

async function expect400(response: request.Response, field: string, reason: string | RegExp): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.body).toEqual({
    statusCode: 400,
    error: 'Bad Request',
    message: expect.stringContaining(`${field}: `),
    details: [{ field, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) }],
    requestId: expect.any(String),
  });
}

describe('POST /api/v1/symbol/{symbol}/backfill and GET /api/v1/backfill/jobs', () => {
  let fake: FakePolygonServer;
  let t: TestApp;
  const clock = new ManualClock(FRIDAY_11_NY);
  const api = () => request(t.server);
  const KEY = { 'X-API-Key': 'writer-key' };

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    t = await createTestApp('postgresql', {
      env: backfillEnv(fake, { API_KEYS: 'writer-key', BACKFILL_ENABLED: 'false' }),
      customize: withClock(clock),
    });
    await api()
      .post('/api/v1/symbols')
      .set(KEY)
      .send({ symbol: 'MSFT', timeframes: ['1m', '1d'] })
      .expect(201);
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('is a write route: 401 without X-API-Key, 403 with a wrong one', async () => {
    await api().post('/api/v1/symbol/MSFT/backfill').send({}).expect(401);
    await api().post('/api/v1/symbol/MSFT/backfill').set('X-API-Key', 'nope').send({}).expect(403);
    expect(fake.requestCount).toBe(0);
  });

  it('rejects bad input with a 400 naming the field and why', async () => {
    const post = (symbol: string, body: object) => api().post(`/api/v1/symbol/${symbol}/backfill`).set(KEY).send(body);
    await expect400(await post('MS FT', {}), 'symbol', /^must be a ticker like AAPL/);
    await expect400(
      await post('MSFT', { timeframes: ['2h'] }),
      'timeframes',
      '"2h" is not supported; use 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w',
    );
    await expect400(await post('MSFT', { timeframes: ['1h'] }), 'timeframes', /^1h is not tracked for MSFT \(tracked: 1m, 1d\)/);
    await expect400(await post('MSFT', { timeframes: [] }), 'timeframes', 'must list at least one timeframe');
    await expect400(await post('MSFT', { from: 'yesterday' }), 'from', /^must be an ISO-8601 date or date-time/);
    await expect400(
      await post('MSFT', { from: '2024-02-01', to: '2024-01-01' }),
      'from',
      /^must be before to \(2024-01-01T00:00:00.000Z\)/,
    );
    await expect400(await post('MSFT', { from: '2030-01-01' }), 'from', /^must be in the past/);
    await expect400(await post('MSFT', { since: '2024-01-01' }), 'since', 'property since should not exist');
    await expect400(
      await api().get('/api/v1/backfill/jobs?timeframe=2h'),
      'timeframe',
      /^"2h" is not a supported timeframe; use one of 1m/,
    );
    await expect400(await api().get('/api/v1/backfill/jobs?symbol=a%20b'), 'symbol', /^must be a ticker like AAPL/);
    await expect400(await api().get('/api/v1/backfill/jobs?state=done'), 'state', 'property state should not exist');
    const notTracked = await post('TSLA', {});
    expect(notTracked.status).toBe(404);
    expect(notTracked.body.message).toBe('TSLA is not tracked; track it with POST /api/v1/symbols first');
    expect(fake.requestCount).toBe(0);
  });

  it('starts the jobs at once (202), even with the scheduler off, and extends history beyond the window', async () => {
    const response = await api()
      .post('/api/v1/symbol/msft/backfill')
      .set(KEY)
      .send({ timeframes: ['1m'], from: '2024-03-05', to: at('2024-03-07T00:00:00Z') });
    expect(response.status).toBe(202);
    expect(response.body.symbol).toBe('MSFT');
    expect(response.body.jobs.map((j: { timeframe: string }) => j.timeframe)).toEqual(['1m']);
    await t.app.get(BackfillJobQueue).whenIdle();

    // The window (3 days) plus the range asked for, which reaches before it.
    const job = (await api().get('/api/v1/backfill/jobs?symbol=MSFT&timeframe=1m').expect(200)).body.jobs[0];
    expect(job).toMatchObject({ state: 'done', progressPercent: 100, errors: 0 });
    expect(job.target[0].start).toBe('2024-03-05T00:00:00.000Z');
    const expected = fake.market.minuteBars('MSFT', at('2024-03-05T00:00:00Z'), at('2024-03-07T00:00:00Z'), true).length;
    expect((await storedBars(t.database, 'MSFT', '1m', at('2024-03-05T00:00:00Z'), at('2024-03-07T00:00:00Z'))).length).toBe(expected);
  });

  it('does not fetch a range again when asked again', async () => {
    const since = fake.requestCount;
    await api()
      .post('/api/v1/symbol/MSFT/backfill')
      .set(KEY)
      .send({ timeframes: ['1m'], from: '2024-03-05', to: '2024-03-07' })
      .expect(202);
    await t.app.get(BackfillJobQueue).whenIdle();
    expect(fake.requestCount).toBe(since);
  });

  it('records one metric per finished run by timeframe and outcome (bars, requests, duration, errors); per symbol in the jobs route', async () => {
    const metrics = await t.app.get<Registry>(METRICS_REGISTRY).getMetricsAsJSON();
    const byName = new Map(metrics.map((m) => [m.name, m]));
    const runs = byName.get('backfill_job_runs_total')!.values;
    expect(runs).toContainEqual(expect.objectContaining({ labels: { timeframe: '1m', outcome: 'done' } }));
    const bars = byName.get('backfill_bars_total')!.values.find((v) => v.labels.timeframe === '1m');
    expect(bars?.value).toBeGreaterThan(1_000);
    expect(byName.get('backfill_requests_total')!.values.length).toBeGreaterThan(0);
    expect(byName.has('backfill_job_duration_seconds')).toBe(true);
    expect(byName.has('backfill_errors_total')).toBe(true);
    // No symbol label: the series stay few however many symbols are tracked.
    const series = metrics.filter((m) => m.name.startsWith('backfill_')).flatMap((m) => m.values);
    expect(series.length).toBeGreaterThan(0);
    expect(series.filter((v) => 'symbol' in v.labels)).toEqual([]);
    // MSFT ran the only 1m jobs here, so its job in the jobs route holds every bar the metric counted.
    const job = (await api().get('/api/v1/backfill/jobs?symbol=MSFT&timeframe=1m').expect(200)).body.jobs[0];
    expect(job.bars).toBe(bars?.value);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await api().get('/docs/openapi.json').expect(200)).body;
    const post = doc.paths['/api/v1/symbol/{symbol}/backfill'].post;
    expect(post.tags).toEqual(['backfill']);
    expect(Object.keys(post.responses).sort()).toEqual(['202', '400', '401', '403', '404', '409', '429', '503']);
    expect(post.description).toContain('Supported timeframes: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w');
    const jobs = doc.paths['/api/v1/backfill/jobs'].get;
    expect(Object.keys(jobs.responses)).toEqual(expect.arrayContaining(['200', '400']));
    expect(jobs.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['symbol', 'timeframe']);
  });
});

describe('provider faults', () => {
  let fake: FakePolygonServer;
  const clock = new ManualClock(FRIDAY_11_NY);

  beforeEach(async () => {
    fake = await FakePolygonServer.start();
    clock.set(FRIDAY_11_NY);
  });

  afterEach(() => fake.stop());

  it('marks a job failed on a provider 404, with the reason, and does not retry it; the other jobs go on', async () => {
    const t = await createTestApp('postgresql', { env: backfillEnv(fake, { BACKFILL_CONCURRENCY: '1' }), customize: withClock(clock) });
    try {
      await request(t.server)
        .post('/api/v1/symbols')
        .send({ symbol: 'ZZZZ', timeframes: ['1d'] })
        .expect(201);
      fake.faults.enqueue('not-found');
      await tickAndSettle(t);
      await request(t.server)
        .post('/api/v1/symbols')
        .send({ symbol: 'IBM', timeframes: ['1d'] })
        .expect(201);
      const since = fake.requestCount;
      for (let i = 0; i < 3; i++) {
        clock.advance(2 * 60 * MINUTE);
        await tickAndSettle(t);
      }
      expect(aggregatesRequests(fake, since).filter((r) => r.ticker === 'ZZZZ')).toEqual([]);
      expect(aggregatesRequests(fake, since).filter((r) => r.ticker === 'IBM').length).toBeGreaterThan(0);
      const jobs = (await request(t.server).get('/api/v1/backfill/jobs').expect(200)).body.jobs;
      const failed = jobs.find((j: { symbol: string }) => j.symbol === 'ZZZZ');
      expect(failed).toMatchObject({ state: 'failed', errors: 1, lastError: expect.stringContaining('provider has no') });
      expect(failed.nextRunAt).toBeUndefined();
      expect(jobs.find((j: { symbol: string }) => j.symbol === 'IBM').state).toBe('done');
    } finally {
      await t.close();
    }
  });

  it('stops every job on "not authorized", with one clear error and no retry storm', async () => {
    const t = await createTestApp('postgresql', {
      env: backfillEnv(fake, { POLYGON_API_KEY: 'wrong-key', BACKFILL_CONCURRENCY: '2', LOG_LEVEL: 'error' }),
      customize: withClock(clock),
    });
    try {
      for (const symbol of ['AAPL', 'MSFT', 'IBM', 'NVDA']) {
        await request(t.server)
          .post('/api/v1/symbols')
          .send({ symbol, timeframes: ['1m', '1d'] })
          .expect(201);
      }
      await tickAndSettle(t);
      for (let i = 0; i < 3; i++) {
        clock.advance(10 * MINUTE);
        await tickAndSettle(t);
      }
      // At most the requests already in flight when the first 403 came back.
      expect(fake.countStatus(403)).toBeGreaterThanOrEqual(1);
      expect(fake.requestCount).toBeLessThanOrEqual(2);
      const body = (await request(t.server).get('/api/v1/backfill/jobs').expect(200)).body;
      expect(body.scheduler.halted.reason).toMatch(/^provider refused the request \(403\)/);
      expect(new Set(body.jobs.map((j: { state: string }) => j.state))).toEqual(new Set(['halted']));
    } finally {
      await t.close();
    }
  });

  it('stops a running job at its next window when its timeframe is removed', async () => {
    const t = await createTestApp('postgresql', {
      env: backfillEnv(fake, { BACKFILL_WINDOWS: '1m:30d,1d:30d', POLYGON_RATE_LIMIT_PER_MINUTE: '300' }),
      customize: withClock(clock, { pageLimit: 2_000 }),
    });
    try {
      const reports: JobRunReport[] = [];
      t.app.get(BackfillJobQueue).reports.subscribe((r) => reports.push(r));
      await request(t.server)
        .post('/api/v1/symbols')
        .send({ symbol: 'AAPL', timeframes: ['1m', '1d'] })
        .expect(201);
      while (aggregatesRequests(fake).filter((r) => r.timeframe === '1m').length < 3) await new Promise((r) => setTimeout(r, 20));
      await request(t.server)
        .put('/api/v1/symbol/AAPL/timeframes')
        .send({ timeframes: ['1d'] })
        .expect(200);
      await t.app.get(BackfillJobQueue).whenIdle();
      const minuteRequests = aggregatesRequests(fake).filter((r) => r.timeframe === '1m').length;
      expect(reports.find((r) => r.timeframe === '1m')?.outcome).toBe('stopped');
      clock.advance(10 * MINUTE);
      await tickAndSettle(t);
      expect(aggregatesRequests(fake).filter((r) => r.timeframe === '1m').length).toBe(minuteRequests);
      const job = (await request(t.server).get('/api/v1/backfill/jobs?timeframe=1m').expect(200)).body.jobs[0];
      expect(job).toMatchObject({ tracked: false, state: 'stopped' });
      expect(job.progressPercent).toBeLessThan(100);
    } finally {
      await t.close();
    }
  });

  it('retries a job after transient provider failures, with backoff, and finishes it', async () => {
    const t = await createTestApp('postgresql', {
      env: backfillEnv(fake, { POLYGON_MAX_RETRIES: '0', LOG_LEVEL: 'error' }),
      customize: withClock(clock),
    });
    try {
      await request(t.server)
        .post('/api/v1/symbols')
        .send({ symbol: 'AMD', timeframes: ['1d'] })
        .expect(201);
      fake.faults.enqueue('server-error');
      await tickAndSettle(t);
      let job = (await request(t.server).get('/api/v1/backfill/jobs').expect(200)).body.jobs[0];
      expect(job).toMatchObject({ state: 'retrying', errors: 1, lastError: expect.stringContaining('provider unavailable') });
      expect(job.nextRunAt).toBe(new Date(FRIDAY_11_NY + MINUTE).toISOString());

      await tickAndSettle(t); // not due yet
      expect(fake.requestCount).toBe(1);
      clock.advance(MINUTE);
      await tickAndSettle(t);
      job = (await request(t.server).get('/api/v1/backfill/jobs').expect(200)).body.jobs[0];
      expect(job).toMatchObject({ state: 'done', progressPercent: 100, errors: 1 });
      expect(job.lastError).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
