import request from 'supertest';
import { BackfillJobQueue, type JobRunReport } from '@app/backfill';
import { FakePolygonServer } from '@app/polygon/testing';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { FRIDAY_11_NY, ManualClock, aggregatesRequests, backfillEnv, tickAndSettle, withClock } from './backfill-support';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

/** Before the 3-day 1m window, so only explicit requests touch it. */
const RANGE = { from: '2024-03-05', to: '2024-03-07' };
/** Bars the fake provider corrects in the tests below. */
const REVISED = { start: at('2024-03-06T15:00:00Z'), end: at('2024-03-06T15:30:00Z') };

describe.each(ENGINES)('POST /api/v1/symbol/{symbol}/backfill with force on %s', (engine) => {
  let fake: FakePolygonServer;
  let t: TestApp;
  const clock = new ManualClock(FRIDAY_11_NY);
  const reports: JobRunReport[] = [];
  const api = () => request(t.server);
  const post = (body: object) => api().post('/api/v1/symbol/MSFT/backfill').send(body);
  const whenIdle = () => t.app.get(BackfillJobQueue).whenIdle();
  const lastReport = () => reports.filter((r) => r.symbol === 'MSFT').at(-1);
  const jobOf = async () => (await api().get('/api/v1/backfill/jobs?symbol=MSFT&timeframe=1m').expect(200)).body.jobs[0];
  /** Requests the fake received since `since` that ask for bars in RANGE (`to` is inclusive). */
  const rangeRequests = (since: number) =>
    aggregatesRequests(fake, since).filter((r) => r.ticker === 'MSFT' && r.from < at(RANGE.to) && r.to >= at(RANGE.from));
  /** [close, volume] of the stored REVISED bars, through the public route. */
  const served = async (): Promise<[number, number][]> => {
    const body = (await api().get(`/api/v1/asset/MSFT/candles?timeframe=1m&start=${REVISED.start}&end=${REVISED.end}`).expect(200)).body;
    return body.bars.map((bar: { close: number; volume: number }) => [bar.close, bar.volume]);
  };
  const published = (): [number, number][] => fake.market.minuteBars('MSFT', REVISED.start, REVISED.end, true).map((b) => [b.c, b.v]);

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    t = await createTestApp(engine, {
      // No provider retries and a short timeout: a fault ends the run at once.
      env: backfillEnv(fake, { POLYGON_MAX_RETRIES: '0', POLYGON_TIMEOUT_MS: '300', LOG_LEVEL: 'fatal' }),
      customize: withClock(clock),
    });
    t.app.get(BackfillJobQueue).reports.subscribe((r) => reports.push(r));
    await api()
      .post('/api/v1/symbols')
      .send({ symbol: 'MSFT', timeframes: ['1m'] })
      .expect(201);
    await tickAndSettle(t);
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('rejects a force that is not a boolean with a 400 naming the field', async () => {
    for (const force of ['yes', 1, 'true']) {
      const response = await post({ timeframes: ['1m'], force });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        message: 'force: must be a boolean value',
        details: [{ field: 'force', reason: 'must be a boolean value' }],
      });
    }
  });

  it('skips a fetched range without force; with force reads it again, and the revised bars replace the stored ones', async () => {
    await post({ timeframes: ['1m'], ...RANGE }).expect(202);
    await whenIdle();
    const original = published();
    expect(original.length).toBeGreaterThan(20);
    expect(await served()).toEqual(original);

    fake.market.revise('MSFT', REVISED.start, REVISED.end);
    const revised = published();
    expect(revised).not.toEqual(original);

    // Without force: no request for the range, the stored bars stay as they were.
    let since = fake.requestCount;
    expect((await post({ timeframes: ['1m'], ...RANGE }).expect(202)).body.force).toBe(false);
    await whenIdle();
    expect(aggregatesRequests(fake, since)).toEqual([]);
    expect(lastReport()).toMatchObject({ outcome: 'done', forced: false, requests: 0 });
    expect(await served()).toEqual(original);

    // Forced, and its first try fails: the job shows the re-read it still owes (persisted, so the retry does it).
    since = fake.requestCount;
    fake.faults.enqueue('server-error');
    const accepted = await post({ timeframes: ['1m'], ...RANGE, force: true }).expect(202);
    expect(accepted.body).toMatchObject({ symbol: 'MSFT', force: true, jobs: [{ timeframe: '1m', force: true }] });
    await whenIdle();
    const owed = await jobOf();
    expect(owed).toMatchObject({
      state: 'retrying',
      force: true,
      forced: [{ start: '2024-03-05T00:00:00.000Z', end: '2024-03-07T00:00:00.000Z' }],
    });
    expect(owed.progressPercent).toBeLessThan(100);
    expect(await served()).toEqual(original);

    clock.advance(MINUTE);
    await tickAndSettle(t);
    expect(await jobOf()).toMatchObject({ state: 'done', force: false, forced: [], progressPercent: 100 });
    expect(lastReport()).toMatchObject({ outcome: 'done', forced: true });
    // The failed try, then the re-read.
    const [failedTry, ...reread] = rangeRequests(since);
    expect(failedTry.status).toBe(500);
    expect(reread.length).toBeGreaterThan(0);
    expect(reread.every((r) => r.status === 200)).toBe(true);
    expect(await served()).toEqual(revised);
  });

  it('does not let a run of the same job already in progress swallow a force: the job runs once more and reads it', async () => {
    fake.market.revise('MSFT', REVISED.start, REVISED.end);
    const revised = published();
    expect(await served()).not.toEqual(revised);
    const since = fake.requestCount;
    // A plain backfill of another range; its request hangs, so the job is running when the force arrives.
    fake.faults.enqueue('hang');
    await post({ timeframes: ['1m'], from: '2024-03-01', to: '2024-03-02' }).expect(202);
    while (!fake.requests.slice(since).some((r) => r.fault === 'hang')) await new Promise((resolve) => setTimeout(resolve, 10));
    await post({ timeframes: ['1m'], ...RANGE, force: true }).expect(202);
    await whenIdle();

    expect(rangeRequests(since).some((r) => r.from <= REVISED.start && r.status === 200)).toBe(true);
    expect(lastReport()).toMatchObject({ outcome: 'done', forced: true });
    expect(await jobOf()).toMatchObject({ state: 'done', force: false });
    expect(await served()).toEqual(revised);
  });
});
