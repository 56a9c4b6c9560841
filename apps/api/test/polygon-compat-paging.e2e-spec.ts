import { Writable } from 'node:stream';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import request from 'supertest';
import { CandleRepository } from '@app/market-data';
import { FakePolygonServer, candleOfWireBar } from '@app/polygon/testing';
import { freePort } from '@app/testing';
import { logParams } from '../src/logging';
import { CLIENT_NAMES, type ListeningApp, expectSameAnswer, listeningApp, polygonClient } from './polygon-compat-support';

const KEY = 'compat-read-key-5f1d2c';
const PROVIDER_KEY = 'provider-key-7a9e';
const TICKER = 'QQQ';
/** Extended-hours minutes of the fake's QQQ from 2024-01-02 through 2024-06-14: a little over 1e5 bars. */
const FROM = '2024-01-02';
const TO = '2024-06-14';

/** What an app logged, as JSON lines. */
class LogLines {
  readonly lines: string[] = [];
  readonly sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      this.lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
}

interface Page {
  results?: { t: number }[];
  next_url?: string;
  queryCount: number;
}

/**
 * A long range, the provider's page size, the clients' own pagination and the Python client's way
 * of following next_url; where next_url points; keys in and out. PostgreSQL only: the point is
 * paging and HTTP, which no engine changes, and 1e5 bars load fastest there.
 */
describe('Polygon-compatible paging, links and keys', () => {
  let fake: FakePolygonServer;
  let t: ListeningApp;
  const logs = new LogLines();
  let bars = 0;

  beforeAll(async () => {
    const port = await freePort();
    fake = await FakePolygonServer.start({ apiKey: PROVIDER_KEY, port, publicBaseUrl: `http://127.0.0.1:${port}` });
    t = await listeningApp(
      'postgresql',
      { API_KEYS: KEY, API_KEYS_FOR_READS: 'true', BACKFILL_ENABLED: 'false' },
      {
        customize: (builder) =>
          builder
            .overrideProvider(PARAMS_PROVIDER_TOKEN)
            .useValue(logParams({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { isTTY: false, destination: logs.sink })),
      },
    );
    // The store gets exactly the fake's minutes.
    const minutes = fake.market
      .minuteBars(TICKER, Date.UTC(2024, 0, 2, 5), Date.UTC(2024, 5, 15, 4), true)
      .map((bar) => candleOfWireBar(TICKER, '1m', bar));
    bars = minutes.length;
    await t.app.get(CandleRepository).upsertMany(minutes);
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it.each(CLIENT_NAMES)('pages 1e5 bars of 1m as the provider does through %s, with its pagination on', async (clientName) => {
    expect(bars).toBeGreaterThan(100_000);
    for (const sort of ['asc', 'desc'] as const) {
      const call = { ticker: TICKER, multiplier: 1, timespan: 'minute', from: FROM, to: TO, limit: 50_000, sort };
      const mine = (await (await polygonClient(clientName, KEY, t.url, true)).aggregates(call)) as Page;
      const provider = (await (await polygonClient(clientName, PROVIDER_KEY, fake.url, true)).aggregates(call)) as Page;
      expect(mine.results).toHaveLength(bars);
      expectSameAnswer(mine, provider);
    }
  });

  it('pages 1e5 bars as the Python client follows next_url: its base stripped, the key as Bearer', async () => {
    const pages: Page[] = [];
    for (let path: string | undefined = `/v2/aggs/ticker/${TICKER}/range/1/minute/${FROM}/${TO}?limit=50000`; path !== undefined;) {
      const response = await fetch(`${t.url}${path}`, { headers: { Authorization: `Bearer ${KEY}` } });
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      pages.push(page);
      path = page.next_url?.replace(t.url, '');
      if (path !== undefined) expect(path).toMatch(/^\/v2\/aggs\/ticker\/QQQ\/range\/1\/minute\/\d+\/2024-06-14\?cursor=[\w-]+$/);
    }
    const times = pages.flatMap((page) => page.results!.map((bar) => bar.t));
    expect(pages.map((page) => page.queryCount)).toEqual([50_000, 50_000, bars - 100_000]);
    expect(times).toHaveLength(bars);
    expect(times.every((time, i) => i === 0 || time > times[i - 1])).toBe(true);
  });

  it('builds next_url from PUBLIC_BASE_URL, with a ? already and never the key, however it was presented', async () => {
    const path = `/v2/aggs/ticker/${TICKER}/range/1/hour/${FROM}/${TO}?limit=1000`;
    for (const presented of [
      (r: request.Test) => r.query({ apiKey: KEY }),
      (r: request.Test) => r.set('Authorization', `Bearer ${KEY}`),
      (r: request.Test) => r.set('X-API-Key', KEY),
    ]) {
      const response = await presented(request(t.server).get(path)).expect(200);
      const nextUrl: string = response.body.next_url;
      expect(nextUrl.startsWith(`${t.url}/v2/aggs/ticker/${TICKER}/range/1/hour/`)).toBe(true);
      expect(nextUrl).toContain('?cursor=');
      expect(nextUrl).not.toContain(KEY);
      expect(nextUrl).not.toMatch(/apiKey/i);
    }
  });

  it('never logs the key, wherever it was presented', async () => {
    const ids = ['keys-in-query', 'keys-in-bearer', 'keys-bad-route'];
    await request(t.server)
      .get(`/v2/aggs/ticker/${TICKER}/range/1/day/${FROM}/${TO}?apiKey=${KEY}`)
      .set('X-Request-Id', ids[0])
      .expect(200);
    await request(t.server)
      .get(`/v1/indicators/sma/${TICKER}?timespan=minute`)
      .set('Authorization', `Bearer ${KEY}`)
      .set('X-Request-Id', ids[1])
      .expect(200);
    await request(t.server)
      .get(`/v2/aggs/ticker/${TICKER}/range/1/day/nope/${TO}?sort=asc&apiKey=${KEY}`)
      .set('X-Request-Id', ids[2])
      .expect(400);
    const completed = async (id: string): Promise<string> => {
      for (let waited = 0; waited < 2000; waited += 20) {
        const line = logs.lines.find((l) => l.includes(`"id":"${id}"`) && l.includes('"res"'));
        if (line) return line;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no log line for ${id}`);
    };
    expect(JSON.parse(await completed(ids[0])).req.url).toBe(`/v2/aggs/ticker/${TICKER}/range/1/day/${FROM}/${TO}?apiKey=[redacted]`);
    expect(JSON.parse(await completed(ids[2])).req.url).toBe(`/v2/aggs/ticker/${TICKER}/range/1/day/nope/${TO}?sort=asc&apiKey=[redacted]`);
    await completed(ids[1]);
    expect(logs.lines.join('\n')).not.toContain(KEY);
  });

  it('wants a key when reads need one, in the provider shape', async () => {
    const path = `/v2/aggs/ticker/${TICKER}/range/1/day/${FROM}/${FROM}`;
    const missing = await request(t.server).get(path).expect(401);
    expect(missing.body).toEqual({ status: 'ERROR', request_id: missing.headers['x-request-id'], error: 'API Key was not provided' });
    const wrong = await request(t.server).get(`${path}?apiKey=nope`).expect(403);
    expect(wrong.body).toEqual({
      status: 'NOT_AUTHORIZED',
      request_id: wrong.headers['x-request-id'],
      message: expect.stringContaining('Unknown API Key'),
    });
    // Two different keys in one request count as a wrong one.
    await request(t.server).get(`${path}?apiKey=${KEY}`).set('Authorization', 'Bearer other').expect(403);
    await request(t.server).get(`/v1/indicators/macd/${TICKER}`).expect(401);
    await request(t.server).get(`/v2/aggs/ticker/${TICKER}/prev`).expect(401);
  });

  describe('without PUBLIC_BASE_URL', () => {
    let trusting: ListeningApp;
    let direct: ListeningApp;
    const path = `/v2/aggs/ticker/${TICKER}/range/1/hour/${FROM}/${TO}?limit=1000`;
    const forwarded = (app: ListeningApp) =>
      request(app.server).get(path).set('X-Forwarded-Host', 'md.example.org').set('X-Forwarded-Proto', 'https').expect(200);

    beforeAll(async () => {
      const env = { PUBLIC_BASE_URL: '', BACKFILL_ENABLED: 'false' };
      trusting = await listeningApp('postgresql', { ...env, TRUST_PROXY: 'loopback' }, { testDatabase: t.testDatabase });
      direct = await listeningApp('postgresql', env, { testDatabase: t.testDatabase });
    });

    afterAll(async () => {
      await trusting.close();
      await direct.close();
    });

    it('links to the forwarded host and scheme behind a trusted proxy', async () => {
      expect((await forwarded(trusting)).body.next_url).toMatch(
        /^https:\/\/md\.example\.org\/v2\/aggs\/ticker\/QQQ\/range\/1\/hour\/\d+\/2024-06-14\?cursor=/,
      );
    });

    it('ignores forwarded headers from anyone else, and links to the host the request reached', async () => {
      const { body } = await forwarded(direct);
      expect(body.next_url.startsWith(`http://127.0.0.1:${new URL(direct.url).port}/v2/aggs/`)).toBe(true);
    });

    it('ignores any key when reads are open: clients keep sending their provider key', async () => {
      await request(direct.server).get(`${path}&apiKey=their-polygon-key`).expect(200);
      await request(direct.server).get(path).set('Authorization', 'Bearer their-polygon-key').expect(200);
    });
  });
});
