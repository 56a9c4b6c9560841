import request from 'supertest';
import { FakePolygonServer } from '@app/polygon/testing';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { FRIDAY_11_NY, ManualClock, backfillEnv, storedBars, tickAndSettle, withClock } from './backfill-support';

interface GapBody {
  start: string;
  end: string;
  bars: number;
  fetched: boolean;
}

describe.each(ENGINES)('GET /api/v1/asset/{symbol}/gaps on %s', (engine) => {
  let fake: FakePolygonServer;
  let t: TestApp;
  const clock = new ManualClock(FRIDAY_11_NY);
  const gaps = (symbol: string, query: Record<string, string>) => request(t.server).get(`/api/v1/asset/${symbol}/gaps`).query(query);

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    t = await createTestApp(engine, { env: backfillEnv(fake), customize: withClock(clock) });
    await request(t.server)
      .post('/api/v1/symbols')
      .send({ symbol: 'AAPL', timeframes: ['1m', '1d'] })
      .expect(201);
    await tickAndSettle(t);
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('lists missing 1m bars apart from the closed market (nights), and marks fetched ranges', async () => {
    const body = (await gaps('aapl', { timeframe: '1m', start: '2024-03-13T00:00:00Z', end: '2024-03-15T00:00:00Z' }).expect(200)).body;
    expect(body).toMatchObject({
      symbol: 'AAPL',
      timeframe: '1m',
      session: 'extended',
      start: '2024-03-13T00:00:00.000Z',
      end: '2024-03-15T00:00:00.000Z',
    });
    // Two sessions of 04:00-20:00 New York (EDT: 08:00-24:00 UTC).
    expect(body.expectedBars).toBe(2 * 960);
    expect(body.closed).toEqual([
      { start: '2024-03-13T00:00:00.000Z', end: '2024-03-13T08:00:00.000Z' },
      { start: '2024-03-14T00:00:00.000Z', end: '2024-03-14T08:00:00.000Z' },
    ]);
    const stored = await storedBars(t.database, 'AAPL', '1m', Date.parse('2024-03-13T00:00:00Z'), Date.parse('2024-03-15T00:00:00Z'));
    expect(body.storedBars).toBe(stored.length);
    expect(body.missingBars).toBe(960 * 2 - stored.length);
    // The provider has quiet minutes without trades: fetched, but no bar.
    expect(body.gaps.length).toBeGreaterThan(0);
    expect(body.gaps.reduce((sum: number, g: GapBody) => sum + g.bars, 0)).toBe(body.missingBars);
    expect(body.gaps.every((g: GapBody) => g.fetched)).toBe(true);
  });

  it('reports bars outside what the backfill fetched as not fetched, and a weekend as closed only', async () => {
    const old = (await gaps('AAPL', { timeframe: '1m', start: '2024-03-01T14:30:00Z', end: '2024-03-01T14:40:00Z' }).expect(200)).body;
    expect(old).toMatchObject({ expectedBars: 10, storedBars: 0, missingBars: 10, closed: [] });
    expect(old.gaps).toEqual([{ start: '2024-03-01T14:30:00.000Z', end: '2024-03-01T14:40:00.000Z', bars: 10, fetched: false }]);

    // Friday's after-hours end at 20:00 EST (01:00 UTC); Monday's pre-market opens at 04:00 EDT (08:00 UTC).
    const weekend = (await gaps('AAPL', { timeframe: '1m', start: '2024-03-09T01:00:00Z', end: '2024-03-11T08:00:00Z' }).expect(200)).body;
    expect(weekend).toMatchObject({
      expectedBars: 0,
      missingBars: 0,
      gaps: [],
      closed: [{ start: '2024-03-09T01:00:00.000Z', end: '2024-03-11T08:00:00.000Z' }],
    });
  });

  it('knows NYSE holidays for day bars, the regular session, and crypto around the clock', async () => {
    const days = (await gaps('AAPL', { timeframe: '1d', start: '2024-02-15T05:00:00Z', end: '2024-03-15T04:00:00Z' }).expect(200)).body;
    expect(days).toMatchObject({ expectedBars: 20, storedBars: 20, missingBars: 0, gaps: [] });
    // Presidents' Day (Monday 19 February) joins the weekend before it.
    expect(days.closed).toContainEqual({ start: '2024-02-17T05:00:00.000Z', end: '2024-02-20T05:00:00.000Z' });

    const regular = (
      await gaps('AAPL', { timeframe: '1m', start: '2024-03-13T00:00:00Z', end: '2024-03-14T00:00:00Z', session: 'regular' }).expect(200)
    ).body;
    expect(regular.expectedBars).toBe(390);

    const crypto = (await gaps('x:btcusd', { timeframe: '1h', start: '2024-03-09T00:00:00Z', end: '2024-03-10T00:00:00Z' }).expect(200))
      .body;
    expect(crypto).toMatchObject({ symbol: 'X:BTCUSD', expectedBars: 24, missingBars: 24, closed: [] });
  });

  it('never reports the current, still open bar', async () => {
    const body = (await gaps('AAPL', { timeframe: '1d', start: '2024-03-14T04:00:00Z' }).expect(200)).body;
    expect(body.end).toBe('2024-03-15T04:00:00.000Z');
    expect(body.expectedBars).toBe(1);
  });

  it('rejects bad input with a 400 naming the field and why', async () => {
    const expect400 = async (response: request.Response, field: string, reason: RegExp) => {
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ field, reason: expect.stringMatching(reason) }]);
      expect(response.body.message).toMatch(new RegExp(`^${field}: `));
    };
    await expect400(await gaps('AAPL', { timeframe: '2h' }), 'timeframe', /^"2h" is not a supported timeframe; use one of 1m, 5m/);
    await expect400(await gaps('AAPL', { start: 'monday' }), 'start', /^must be an ISO-8601 date/);
    await expect400(
      await gaps('AAPL', { start: '2024-03-02', end: '2024-03-01' }),
      'start',
      /^must be before end \(2024-03-01T00:00:00.000Z\)/,
    );
    await expect400(await gaps('AAPL', { session: 'overnight' }), 'session', /^must be one of the following values: extended, regular/);
    await expect400(await gaps('AAPL', { limit: '5' }), 'limit', /should not exist/);
    await expect400(
      await gaps('AAPL', { start: '2022-01-01', end: '2024-01-01' }),
      'start',
      /more than 527040 per report; ask for at most 366d of 1m/,
    );
    await expect400(await gaps('AA PL', {}), 'symbol', /^must be a ticker like AAPL/);
  });
});
