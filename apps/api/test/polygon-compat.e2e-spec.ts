import request from 'supertest';
import { IngestionService } from '@app/ingestion';
import { CandleRepository } from '@app/market-data';
import { FakePolygonServer, SPY_FIXTURE_END, SPY_FIXTURE_START } from '@app/polygon/testing';
import { ENGINES, freePort } from '@app/testing';
import {
  type AggregatesCall,
  CLIENT_NAMES,
  type ListeningApp,
  clientFailure,
  comparable,
  listeningApp,
  polygonClient,
} from './polygon-compat-support';

const PROVIDER_KEY = 'provider-key-for-the-fake';
const OUR_KEY = 'our-read-key-0123456789';
/** The SPY fixture (real minutes of January 2011) lies in these whole New York days. */
const FIRST_DAY = '2011-01-03';
const LAST_DAY = '2011-01-31';
/** 1h bars are stored natively for the first two weeks only: 1/hour over them reads stored bars, over the month rolls up 1m. */
const NATIVE_HOURS_END = Date.UTC(2011, 0, 15, 5);
/**
 * Day bars as far as a week, month or quarter ending in January reaches (`to` snaps up to the end
 * of its bar): the fake makes up SPY's days around the fixture, and the store must hold them too.
 */
const DAYS_FROM = Date.UTC(2010, 11, 20);
const DAYS_TO = Date.UTC(2011, 3, 2);
/** The newest of those days: what /prev answers long after. */
const LAST_STORED_DAY = '2011-04-01';

/** The requests compared: every timespan the issue names, whole days and Unix ms, both sorts, limits that page. */
const CASES: AggregatesCall[] = [
  { ticker: 'SPY', multiplier: 1, timespan: 'minute', from: FIRST_DAY, to: LAST_DAY, limit: 50_000 },
  { ticker: 'SPY', multiplier: 1, timespan: 'minute', from: FIRST_DAY, to: LAST_DAY },
  {
    ticker: 'SPY',
    multiplier: 1,
    timespan: 'minute',
    from: String(Date.UTC(2011, 0, 5, 14, 30)),
    to: String(Date.UTC(2011, 0, 6, 15, 0, 30)),
    sort: 'desc',
    limit: 700,
  },
  { ticker: 'SPY', multiplier: 5, timespan: 'minute', from: FIRST_DAY, to: LAST_DAY, limit: 3_000 },
  { ticker: 'SPY', multiplier: 5, timespan: 'minute', from: '2011-01-10', to: '2011-01-12', sort: 'desc', limit: 250 },
  { ticker: 'SPY', multiplier: 1, timespan: 'hour', from: FIRST_DAY, to: '2011-01-14', limit: 2_000 },
  { ticker: 'SPY', multiplier: 1, timespan: 'hour', from: FIRST_DAY, to: LAST_DAY, sort: 'desc', limit: 3_000 },
  { ticker: 'SPY', multiplier: 1, timespan: 'day', from: FIRST_DAY, to: LAST_DAY },
  { ticker: 'SPY', multiplier: 1, timespan: 'day', from: FIRST_DAY, to: LAST_DAY, sort: 'desc', limit: 4 },
  // The week of Jan 31 reaches into February, where the fake makes SPY up (with vw and n, which the fixture lacks).
  { ticker: 'SPY', multiplier: 1, timespan: 'week', from: FIRST_DAY, to: '2011-01-28' },
  { ticker: 'SPY', multiplier: 1, timespan: 'week', from: FIRST_DAY, to: '2011-01-28', limit: 3 },
  { ticker: 'SPY', multiplier: 1, timespan: 'month', from: FIRST_DAY, to: LAST_DAY },
  { ticker: 'SPY', multiplier: 1, timespan: 'month', from: FIRST_DAY, to: LAST_DAY, limit: 10 },
  { ticker: 'SPY', multiplier: 2, timespan: 'day', from: FIRST_DAY, to: LAST_DAY, limit: 5 },
  { ticker: 'SPY', multiplier: 3, timespan: 'hour', from: '2011-01-18', to: '2011-01-21', sort: 'desc' },
  { ticker: 'SPY', multiplier: 1, timespan: 'minute', from: LAST_DAY, to: FIRST_DAY },
];

interface IndicatorAnswer {
  results: {
    values: { timestamp: number; value: number; signal?: number; histogram?: number }[];
    underlying: { url: string; aggregates?: { t: number; c: number }[] };
  };
  status: string;
  next_url?: string;
}

const describeCase = (c: AggregatesCall) =>
  `${c.multiplier}/${c.timespan} ${c.from}..${c.to}${c.sort ? ` ${c.sort}` : ''}${c.limit ? ` limit ${c.limit}` : ''}`;

describe.each(ENGINES)('Polygon-compatible routes against the fake provider holding the same bars, on %s', (engine) => {
  let fake: FakePolygonServer;
  let t: ListeningApp;

  beforeAll(async () => {
    const port = await freePort();
    // The fake names itself in next_url, so the clients' own pagination follows it there.
    fake = await FakePolygonServer.start({ apiKey: PROVIDER_KEY, port, publicBaseUrl: `http://127.0.0.1:${port}` });
    t = await listeningApp(engine, {
      POLYGON_BASE_URL: fake.url,
      POLYGON_API_KEY: PROVIDER_KEY,
      POLYGON_RATE_LIMIT_PER_MINUTE: '100000',
      BACKFILL_ENABLED: 'false',
      API_KEYS: OUR_KEY,
      API_KEYS_FOR_READS: 'true',
    });
    // The store gets what the provider serves: SPY's minutes, its days (and those around), two weeks of its hours.
    const ingestion = t.app.get(IngestionService);
    await ingestion.ingest('SPY', '1m', SPY_FIXTURE_START, SPY_FIXTURE_END);
    await ingestion.ingest('SPY', '1d', DAYS_FROM, DAYS_TO);
    await ingestion.ingest('SPY', '1h', SPY_FIXTURE_START, NATIVE_HOURS_END);
    await ingestion.ingest('MSFT', '1d', Date.UTC(2023, 0, 1), Date.UTC(2024, 0, 2));
  });

  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  describe.each(CLIENT_NAMES)('%s', (clientName) => {
    it.each([false, true])('returns identical aggregates with pagination %s', async (pagination) => {
      const ours = await polygonClient(clientName, OUR_KEY, t.url, pagination);
      const theirs = await polygonClient(clientName, PROVIDER_KEY, fake.url, pagination);
      let paged = 0;
      for (const call of CASES) {
        const [mine, provider] = [await ours.aggregates(call), await theirs.aggregates(call)];
        expect({ call: describeCase(call), answer: comparable(mine) }).toEqual({ call: describeCase(call), answer: comparable(provider) });
        if ((provider as { next_url?: string }).next_url) paged++;
      }
      // Enough of the cases really page (with pagination on, the client merged those pages itself).
      expect(paged).toBeGreaterThanOrEqual(8);
    });

    it('gets the whole month of minutes bar for bar as stored, and next_url as the provider words it', async () => {
      const ours = await polygonClient(clientName, OUR_KEY, t.url, true);
      const answer = (await ours.aggregates({ ticker: 'SPY', multiplier: 1, timespan: 'minute', from: FIRST_DAY, to: LAST_DAY })) as {
        results: { t: number }[];
        next_url: string;
      };
      // The client puts the pages it fetched later first; sorted, they are every fixture minute once.
      expect(answer.results).toHaveLength(14_180);
      expect(new Set(answer.results.map((bar) => bar.t)).size).toBe(14_180);
      expect(answer.next_url).toMatch(new RegExp(`^${t.url}/v2/aggs/ticker/SPY/range/1/minute/\\d+/${LAST_DAY}\\?cursor=[\\w-]+$`));
      expect(answer.next_url).not.toContain(OUR_KEY);
    });

    it('builds quarters and years from the same days as the provider, vw to its 4 decimals too', async () => {
      const ours = await polygonClient(clientName, OUR_KEY, t.url, true);
      const theirs = await polygonClient(clientName, PROVIDER_KEY, fake.url, true);
      for (const call of [
        { ticker: 'MSFT', multiplier: 1, timespan: 'quarter', from: '2023-01-01', to: '2023-12-31' },
        { ticker: 'MSFT', multiplier: 1, timespan: 'year', from: '2023-06-01', to: '2023-06-01' },
        { ticker: 'MSFT', multiplier: 1, timespan: 'month', from: '2023-01-01', to: '2023-12-31', limit: 40 },
      ]) {
        const [mine, provider] = [comparable(await ours.aggregates(call)), comparable(await theirs.aggregates(call))] as {
          results: { vw: number }[];
        }[];
        expect(mine).toEqual(provider);
        expect(mine.results.length).toBeGreaterThan(0);
        expect(mine.results.every((bar) => Math.round(bar.vw * 1e4) / 1e4 === bar.vw)).toBe(true);
      }
    });

    it('serves sma, ema, rsi and macd through the client as /api/v1/.../indicators computes them', async () => {
      const ours = await polygonClient(clientName, OUR_KEY, t.url, false);
      const range = { timestampGte: '2011-01-10', timestampLte: '2011-01-11' };
      // The same window as a /indicators request: whole New York days (EST: 05:00Z).
      const window = `start=${Date.UTC(2011, 0, 10, 5)}&end=${Date.UTC(2011, 0, 12, 5)}`;
      const kinds = [
        ['sma', { window: 20 }, 'sma:20'],
        ['ema', { window: 30 }, 'ema:30'],
        ['rsi', { window: 14 }, 'rsi:14'],
        ['macd', { shortWindow: 12, longWindow: 26, signalWindow: 9 }, 'macd:12:26:9'],
      ] as const;
      for (const [kind, windows, spec] of kinds) {
        const answer = (await ours.indicator(kind, {
          ticker: 'SPY',
          timespan: 'minute',
          order: 'desc',
          limit: 400,
          ...range,
          ...windows,
        })) as IndicatorAnswer;
        const reference = await request(t.server)
          .get(`/api/v1/asset/SPY/indicators?indicators=${spec}&timeframe=1m&${window}&sort=desc&limit=400`)
          .set('X-API-Key', OUR_KEY)
          .expect(200);
        const expected = (reference.body.bars as { time: string; values: Record<string, number | Record<string, number> | null> }[])
          .filter((bar) => bar.values[spec] !== null)
          .map((bar) => {
            const value = bar.values[spec]!;
            const timestamp = Date.parse(bar.time);
            return typeof value === 'number'
              ? { timestamp, value }
              : { timestamp, value: value.macd, signal: value.signal, histogram: value.histogram };
          });
        expect(answer.results.values).toEqual(expected);
        expect(answer.results.values.length).toBeGreaterThan(300);
        expect(answer.status).toBe('OK');
        expect(new URL(answer.next_url!).pathname).toBe(`/v1/indicators/${kind}/SPY`);
        expect(answer.results.underlying.url).toMatch(new RegExp(`^${t.url}/v2/aggs/ticker/SPY/range/1/minute/\\d+/\\d+\\?`));
      }
    });

    it('pages indicators by next_url to what one page holds, with the bars underneath when asked', async () => {
      const call = {
        ticker: 'SPY',
        timespan: 'minute',
        window: 50,
        order: 'asc' as const,
        timestampGte: '2011-01-12',
        timestampLte: '2011-01-13',
      };
      const whole = (await (
        await polygonClient(clientName, OUR_KEY, t.url, true)
      ).indicator('sma', { ...call, limit: 5000, expandUnderlying: true })) as IndicatorAnswer;
      expect(whole.next_url).toBeUndefined();
      const paged: IndicatorAnswer['results']['values'] = [];
      // The JavaScript clients cannot merge indicator pages (their `results` is an object), so follow next_url as they would, with &apiKey=.
      let answer = (await (
        await polygonClient(clientName, OUR_KEY, t.url, false)
      ).indicator('sma', { ...call, limit: 300 })) as IndicatorAnswer;
      for (let pages = 1; ; pages++) {
        paged.push(...answer.results.values);
        if (!answer.next_url) {
          expect(pages).toBeGreaterThan(3);
          break;
        }
        expect(answer.next_url).not.toContain(OUR_KEY);
        answer = (await (await fetch(`${answer.next_url}&apiKey=${OUR_KEY}`)).json()) as IndicatorAnswer;
      }
      expect(paged).toEqual(whole.results.values);
      // Each value is the mean of the 50 closes up to its bar, as /v2/aggs serves those bars.
      const bars = whole.results.underlying.aggregates!;
      expect(bars.map((bar) => bar.t)).toEqual(
        (
          (await (
            await polygonClient(clientName, OUR_KEY, t.url, true)
          ).aggregates({ ticker: 'SPY', multiplier: 1, timespan: 'minute', from: '2011-01-12', to: '2011-01-13' })) as {
            results: { t: number }[];
          }
        ).results.map((bar) => bar.t),
      );
      const closes = bars.map((bar) => bar.c);
      for (const [i, value] of whole.results.values.entries()) {
        const at = bars.findIndex((bar) => bar.t === value.timestamp);
        if (at < 49) continue; // its window reaches before the range: history before it
        expect(value.value).toBeCloseTo(closes.slice(at - 49, at + 1).reduce((a, b) => a + b, 0) / 50, 9);
        if (i > 200) break;
      }
    });

    it('fails bad ranges and a bad key as the provider does', async () => {
      const ours = await polygonClient(clientName, OUR_KEY, t.url, false);
      const theirs = await polygonClient(clientName, PROVIDER_KEY, fake.url, false);
      const call = (overrides: Partial<AggregatesCall>): AggregatesCall => ({
        ticker: 'SPY',
        multiplier: 1,
        timespan: 'day',
        from: FIRST_DAY,
        to: LAST_DAY,
        ...overrides,
      });
      for (const bad of [{ from: '2011-13-45' }, { to: 'yesterday' }, { from: '2011-02-30' }]) {
        const [mine, provider] = [await clientFailure(ours.aggregates(call(bad))), await clientFailure(theirs.aggregates(call(bad)))];
        expect(mine).toEqual(provider);
        expect(mine).toMatchObject({
          name: 'AxiosError',
          message: 'Request failed with status code 400',
          status: 400,
          body: { status: 'ERROR' },
        });
      }
      // Timespans and multipliers nobody serves: the same failure; the words are each service's own.
      for (const bad of [{ timespan: 'fortnight' }, { multiplier: 0 }]) {
        const [mine, provider] = [await clientFailure(ours.aggregates(call(bad))), await clientFailure(theirs.aggregates(call(bad)))];
        expect([mine.name, mine.message, mine.status, mine.body.status]).toEqual([
          provider.name,
          provider.message,
          provider.status,
          provider.body.status,
        ]);
        expect(mine.body.error).toMatch(bad.timespan ? /^timespan: / : /^multiplier: /);
      }
      const wrongKey = await polygonClient(clientName, 'not-a-key-of-ours', t.url, false);
      const wrongAtProvider = await polygonClient(clientName, 'not-a-key-of-theirs', fake.url, false);
      const [mine, provider] = [
        await clientFailure(wrongKey.aggregates(call({}))),
        await clientFailure(wrongAtProvider.aggregates(call({}))),
      ];
      expect([mine.name, mine.message, mine.status, mine.body.status, Object.keys(mine.body)]).toEqual([
        provider.name,
        provider.message,
        provider.status,
        provider.body.status,
        Object.keys(provider.body),
      ]);
      expect(mine).toMatchObject({ status: 403, body: { status: 'NOT_AUTHORIZED', message: expect.stringMatching(/API Key/) } });
    });

    it('answers the previous day as the provider shapes it', async () => {
      const ours = await polygonClient(clientName, OUR_KEY, t.url, false);
      const theirs = await polygonClient(clientName, PROVIDER_KEY, fake.url, false);
      // Today is long after the stored days: the previous day is the newest stored.
      const previous = comparable(await ours.previousClose('SPY'));
      const lastDay = comparable(
        await theirs.aggregates({ ticker: 'SPY', multiplier: 1, timespan: 'day', from: LAST_STORED_DAY, to: LAST_STORED_DAY }),
      ) as {
        results: object[];
      };
      expect(previous).toEqual({ ...lastDay, results: [{ T: 'SPY', ...lastDay.results[0] }] });
    });
  });

  it('answers an unstored ticker with no results and says it read the store (read-through is off)', async () => {
    const before = fake.requestCount;
    const response = await request(t.server).get(`/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05?apiKey=${OUR_KEY}`).expect(200);
    expect(response.headers['x-data-source']).toBe('store');
    expect(response.body).toEqual({
      ticker: 'AAPL',
      queryCount: 0,
      resultsCount: 0,
      adjusted: true,
      status: 'OK',
      request_id: response.headers['x-request-id'],
      count: 0,
    });
    expect(fake.requestCount).toBe(before);
  });

  it('refuses what the store cannot answer in the provider shape, naming the parameter', async () => {
    const get = (path: string) => request(t.server).get(path).set('Authorization', `Bearer ${OUR_KEY}`);
    const cases: [string, string][] = [
      ['/v2/aggs/ticker/SPY/range/1/second/2011-01-03/2011-01-04', 'timespan: second bars are not stored here'],
      ['/v2/aggs/ticker/SPY/range/1/day/2011-01-03/2011-01-04?adjusted=false', 'adjusted: this service stores split-adjusted bars only'],
      ['/v2/aggs/ticker/SPY/range/1/day/2011-01-03/2011-01-04?limit=0', "limit: must be a positive whole number, got '0'"],
      ['/v2/aggs/ticker/SPY/range/1/day/2011-01-03/2011-01-04?sort=up', 'sort: must be asc or desc'],
      ['/v2/aggs/ticker/SPY/range/1/day/2011-01-03/2011-01-04?cursor=bm9wZQ', 'cursor: is not a cursor of this service'],
      ['/v2/aggs/ticker/SPY/range/1/day/2011-01-03/2011-01-04?colour=red', 'property colour should not exist'],
      ['/v2/aggs/ticker/SPY/range/100001/minute/2011-01-03/2011-01-04', 'multiplier: must be a whole number from 1 to 100000'],
      ['/v2/aggs/ticker/S%20P/range/1/day/2011-01-03/2011-01-04', 'ticker: must be a ticker such as AAPL'],
      ['/v1/indicators/sma/SPY?timespan=month', 'timespan: month bars are not served for indicators here'],
      ['/v1/indicators/sma/SPY?series_type=high', 'series_type: indicators are computed on closes here'],
      ['/v1/indicators/sma/SPY?window=0', 'window: "sma:0": window must be a whole number from 1 to 10,000'],
      ['/v1/indicators/macd/SPY?short_window=30&long_window=20', 'short_window, long_window, signal_window: "macd:30:20:9"'],
      ['/v1/indicators/rsi/SPY?short_window=3', 'property short_window should not exist'],
    ];
    for (const [path, message] of cases) {
      const response = await get(path);
      expect({ path, status: response.status, body: response.body }).toEqual({
        path,
        status: 400,
        body: { status: 'ERROR', request_id: response.headers['x-request-id'], error: expect.stringContaining(message) },
      });
    }
  });

  it('serves a stored timeframe as stored where it covers the range, else rolls it up from 1m', async () => {
    const get = (path: string) => request(t.server).get(path).set('X-API-Key', OUR_KEY).expect(200);
    const cursorOf = (nextUrl: string) => Buffer.from(new URL(nextUrl).searchParams.get('cursor')!, 'base64url').toString();
    expect(cursorOf((await get('/v2/aggs/ticker/SPY/range/1/hour/2011-01-03/2011-01-14?limit=500')).body.next_url)).toBe(
      'adjusted=true&limit=500&sort=asc&stored=native',
    );
    expect(cursorOf((await get('/v2/aggs/ticker/SPY/range/60/minute/2011-01-03/2011-01-31?limit=500')).body.next_url)).toBe(
      'adjusted=true&limit=500&sort=asc&stored=derived',
    );
    // A stored hour that differs from its minutes is served as stored, bit for bit.
    const path = '/v2/aggs/ticker/SPY/range/1/hour/2011-01-04/2011-01-04';
    const hour = Date.UTC(2011, 0, 4, 15);
    const original = (await get(path)).body.results.find((bar: { t: number }) => bar.t === hour);
    const repository = t.app.get(CandleRepository);
    const revised = {
      symbol: 'SPY',
      timeframe: '1h' as const,
      time: hour,
      open: original.o,
      high: 999.0001,
      low: original.l,
      close: 0.1 + 0.2,
      volume: 1.5,
      vwap: null,
      trades: 7,
    };
    await repository.upsertMany([revised]);
    expect((await get(path)).body.results.find((bar: { t: number }) => bar.t === hour)).toEqual({
      v: 1.5,
      o: original.o,
      c: 0.1 + 0.2,
      h: 999.0001,
      l: original.l,
      t: hour,
      n: 7,
    });
    await repository.upsertMany([{ ...revised, high: original.h, close: original.c, volume: original.v, trades: null }]);
    expect((await get(path)).body.results.find((bar: { t: number }) => bar.t === hour)).toEqual(original);
  });

  it('documents the routes in Swagger under their own tag', async () => {
    const { body } = await request(t.server).get('/docs/openapi.json').expect(200);
    const paths = body.paths as Record<string, { get: { tags: string[]; parameters: { name: string }[] } }>;
    const routes = [
      '/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}',
      '/v2/aggs/ticker/{ticker}/prev',
      '/v1/indicators/sma/{ticker}',
      '/v1/indicators/ema/{ticker}',
      '/v1/indicators/rsi/{ticker}',
      '/v1/indicators/macd/{ticker}',
    ];
    for (const route of routes) expect(paths[route]?.get.tags).toEqual(['Polygon-compatible']);
    const parameters = paths[routes[0]].get.parameters.map((p) => p.name);
    expect(parameters).toEqual(
      expect.arrayContaining(['ticker', 'multiplier', 'timespan', 'from', 'to', 'adjusted', 'sort', 'limit', 'apiKey']),
    );
    expect(paths['/v1/indicators/macd/{ticker}'].get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'short_window',
        'long_window',
        'signal_window',
        'timestamp.gte',
        'series_type',
        'expand_underlying',
        'order',
      ]),
    );
  });
});
