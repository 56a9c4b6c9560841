import request from 'supertest';
import { CandleRepository } from '@app/market-data';
import { FakePolygonServer } from '@app/polygon/testing';
import { freePort } from '@app/testing';
import { type ListeningApp, expectSameAnswer, listeningApp } from './polygon-compat-support';

const PROVIDER_KEY = 'provider-key-read-through';

/**
 * PROVIDER_PASSTHROUGH: a range the store lacks is fetched from the provider (the fake), stored and
 * served; the header says which; the second time it comes from the store, with no provider request.
 */
describe('Polygon-compatible read-through (PROVIDER_PASSTHROUGH)', () => {
  let fake: FakePolygonServer;
  let t: ListeningApp;
  const ours = (path: string) => request(t.server).get(path).expect(200);
  const theirs = async (path: string) => (await fetch(`${fake.url}${path}${path.includes('?') ? '&' : '?'}apiKey=${PROVIDER_KEY}`)).json();

  beforeAll(async () => {
    const port = await freePort();
    fake = await FakePolygonServer.start({ apiKey: PROVIDER_KEY, port, publicBaseUrl: `http://127.0.0.1:${port}` });
    t = await listeningApp('postgresql', {
      POLYGON_BASE_URL: fake.url,
      POLYGON_API_KEY: PROVIDER_KEY,
      POLYGON_RATE_LIMIT_PER_MINUTE: '100000',
      BACKFILL_ENABLED: 'false',
      PROVIDER_PASSTHROUGH: 'true',
    });
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it.each([
    ['minutes', '/v2/aggs/ticker/AAPL/range/1/minute/2024-03-04/2024-03-06?limit=50000', '1m', 18_000],
    ['rolled-up hours', '/v2/aggs/ticker/MSFT/range/2/hour/2024-03-04/2024-03-08', '1m', 18_000],
    ['days and weeks', '/v2/aggs/ticker/NVDA/range/1/week/2024-01-01/2024-03-31', '1d', 250],
  ] as const)('fetches %s the store lacks once, stores them and serves them as the provider would', async (_, path, timeframe, atLeast) => {
    const ticker = path.split('/')[4];
    const requestsBefore = fake.requestCount;
    const first = await ours(path);
    expect(first.headers['x-data-source']).toBe('provider');
    expect(fake.requestCount).toBeGreaterThan(requestsBefore);
    expectSameAnswer(first.body, await theirs(path));
    // Whole provider windows are stored: minutes a month at a time, days a year.
    expect(await t.app.get(CandleRepository).count(ticker, timeframe, Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1))).toBeGreaterThanOrEqual(
      atLeast,
    );

    const requestsAfter = fake.requestCount;
    const second = await ours(path);
    expect(second.headers['x-data-source']).toBe('store');
    expect(second.body.results).toEqual(first.body.results);
    expect(fake.requestCount).toBe(requestsAfter);
  });

  it('fetches only the provider windows a page reaches, newest first when asked', async () => {
    // Two provider windows (one request each, about 45,000 minutes): the first page, newest first, needs only the later one.
    const path = '/v2/aggs/ticker/AMD/range/1/minute/2024-01-02/2024-04-30?limit=1000&sort=desc';
    const first = await ours(path);
    expect(first.headers['x-data-source']).toBe('provider');
    expectSameAnswer(first.body, await theirs(path));
    const repository = t.app.get(CandleRepository);
    expect(await repository.count('AMD', '1m', Date.UTC(2024, 3, 29), Date.UTC(2024, 4, 1))).toBeGreaterThan(1000);
    expect(await repository.count('AMD', '1m', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 20))).toBe(0);
    // Following next_url down to January fetches the rest on the way.
    let next: string | undefined = first.body.next_url;
    let pages = 1;
    for (; next; pages++) next = (await ours(next.replace(t.url, ''))).body.next_url;
    expect(await repository.count('AMD', '1m', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 20))).toBeGreaterThan(10_000);
    expect(pages).toBeGreaterThan(70);
  });

  it('reads through for the previous day and for indicators too', async () => {
    const previous = await ours('/v2/aggs/ticker/TSLA/prev');
    expect(previous.headers['x-data-source']).toBe('provider');
    expect(previous.body.results).toHaveLength(1);
    expect(previous.body.results[0].T).toBe('TSLA');
    const sma = await ours(
      '/v1/indicators/sma/INTC?timespan=day&window=10&timestamp.gte=2024-02-01&timestamp.lt=2024-03-01&order=asc&limit=50',
    );
    expect(sma.headers['x-data-source']).toBe('provider');
    // Days are fetched a year at a time, so January is there to warm up on: a value for every February day.
    const days = (await theirs('/v2/aggs/ticker/INTC/range/1/day/2024-02-01/2024-02-29')) as { results: { t: number }[] };
    expect(sma.body.results.values.map((value: { timestamp: number }) => value.timestamp)).toEqual(days.results.map((bar) => bar.t));
  });

  it('says the provider could not be read, in the provider shape, when it fails', async () => {
    fake.faults.enqueue('not-authorized');
    const response = await request(t.server).get('/v2/aggs/ticker/ORCL/range/1/day/2024-01-02/2024-01-31').expect(502);
    expect(response.body).toEqual({
      status: 'ERROR',
      request_id: response.headers['x-request-id'],
      error: expect.stringMatching(/^The upstream provider could not be read: /),
    });
    expect(JSON.stringify(response.body)).not.toContain(PROVIDER_KEY);
  });
});
