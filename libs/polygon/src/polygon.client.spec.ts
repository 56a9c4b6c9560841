import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { Candle } from '@app/core';
import {
  type BarRequest,
  ProviderBadPayloadError,
  ProviderNotAuthorizedError,
  ProviderNotConfiguredError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
} from '@app/provider';
import { DEFAULT_POLYGON_TUNING, PolygonClientOptions } from './polygon-client.options';
import { PolygonClient } from './polygon.client';
import { PolygonMetrics } from './polygon.metrics';
import { CapturingLogger } from './testing/capturing.logger';
import { FakePolygonServer, FakePolygonOptions } from './testing/fake-polygon.server';
import { type PolygonCounts, polygonCounts } from './testing/polygon-counts';
import { spyMinuteBars } from './testing/spy-minute.fixture';

const KEY = 'pk_client_test_0123456789abcdef';
/** The fake market's clock: bars exist up to here. */
const NOW = Date.UTC(2024, 5, 1);
const SPY_JANUARY = { symbol: 'SPY', timeframe: '1m' as const, from: Date.UTC(2011, 0, 3, 5), to: Date.UTC(2011, 1, 1, 5) };

const logger = new CapturingLogger();
Logger.overrideLogger(logger);

const clients: PolygonClient[] = [];
/** Each client's own registry: what its PolygonMetrics counted. */
const registries = new Map<PolygonClient, Registry>();
const servers: FakePolygonServer[] = [];

async function startFake(options: FakePolygonOptions = {}): Promise<FakePolygonServer> {
  const fake = await FakePolygonServer.start({ apiKey: KEY, now: () => NOW, ...options });
  servers.push(fake);
  return fake;
}

function clientFor(fake: FakePolygonServer, overrides: Partial<PolygonClientOptions> = {}): PolygonClient {
  const registry = new Registry();
  const client = new PolygonClient(
    {
      ...DEFAULT_POLYGON_TUNING,
      apiKey: KEY,
      baseUrl: fake.url,
      adjusted: true,
      // Generous: a 50000-bar page of the fake takes a while on a busy machine. Hang tests shorten it.
      timeoutMs: 20_000,
      maxRetries: 8,
      rateLimitPerMinute: 600_000,
      backoffBaseMs: 5,
      backoffMaxMs: 20,
      now: () => NOW,
      ...overrides,
    },
    new PolygonMetrics(registry),
  );
  clients.push(client);
  registries.set(client, registry);
  return client;
}

async function countsOf(client: PolygonClient): Promise<PolygonCounts> {
  const registry = registries.get(client);
  if (!registry) throw new Error('not a client of clientFor()');
  return polygonCounts(registry);
}

async function fetchAll(client: PolygonClient, request: BarRequest): Promise<{ bars: Candle[]; pages: number; requests: number }> {
  const bars: Candle[] = [];
  let pages = 0;
  let requests = 0;
  for await (const page of client.fetchBars(request)) {
    bars.push(...page.bars);
    pages++;
    requests += page.requests;
  }
  return { bars, pages, requests };
}

/** What the fake market holds for a range, as candles: the reference a complete fetch must equal. */
function marketCandles(fake: FakePolygonServer, symbol: string, from: number, to: number): Candle[] {
  return fake.market.minuteBars(symbol, from, to, true).map((b) => ({
    symbol,
    timeframe: '1m',
    time: b.t,
    open: b.o,
    high: b.h,
    low: b.l,
    close: b.c,
    volume: b.v,
    vwap: b.vw ?? null,
    trades: b.n ?? null,
  }));
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

afterAll(() => {
  expect(logger.text).not.toContain(KEY);
});

describe('PolygonClient paging', () => {
  it('fetches SPY January 2011 page by page through next_url on our own host, with the key on every request', async () => {
    const fake = await startFake({ maxLimit: 2_000 });
    const { bars, pages, requests } = await fetchAll(clientFor(fake), SPY_JANUARY);
    const fixture = spyMinuteBars();
    expect(bars).toHaveLength(fixture.length);
    expect(bars.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume])).toEqual(fixture.map((b) => [b.t, b.o, b.h, b.l, b.c, b.v]));
    expect(bars.every((b) => b.vwap === null && b.trades === null && b.symbol === 'SPY' && b.timeframe === '1m')).toBe(true);
    // next_url names https://api.polygon.io; every page still came from the fake.
    expect(pages).toBeGreaterThan(7);
    expect(fake.requestCount).toBe(requests);
    expect(fake.requests.every((r) => r.authorized && r.status === 200)).toBe(true);
    expect(fake.requests[0].query).toBe('adjusted=true&sort=asc&limit=50000');
    expect(fake.requests.slice(1).every((r) => r.query.startsWith('cursor='))).toBe(true);
  });

  it('plans a quarter of minute bars into windows under the limit, needing no next_url', async () => {
    const fake = await startFake();
    const from = Date.UTC(2023, 0, 1);
    const to = Date.UTC(2023, 3, 1);
    const { bars, requests } = await fetchAll(clientFor(fake), { symbol: 'AAPL', timeframe: '1m', from, to });
    // 61 sessions of up to 960 minutes: more than one 45000-minute window, each answered whole.
    expect(requests).toBe(2);
    expect(fake.requests.every((r) => r.query === 'adjusted=true&sort=asc&limit=50000')).toBe(true);
    expect(bars.length).toBeGreaterThan(55_000);
    expect(bars).toEqual(marketCandles(fake, 'AAPL', from, to));
  });

  it('asks for bars that START in [from, to), with the adjusted setting', async () => {
    const fake = await startFake();
    const from = Date.UTC(2024, 0, 2);
    const to = Date.UTC(2024, 0, 5, 5);
    const days = (await fetchAll(clientFor(fake, { adjusted: false }), { symbol: 'AAPL', timeframe: '1d', from, to })).bars;
    expect(days.map((b) => new Date(b.time).toISOString())).toEqual([
      '2024-01-02T05:00:00.000Z',
      '2024-01-03T05:00:00.000Z',
      '2024-01-04T05:00:00.000Z',
    ]);
    expect(fake.requests[0].query).toContain('adjusted=false');
  });

  it('re-asks from the last bar when an answer is cut at the limit without next_url', async () => {
    // Stocks trading around the clock here: the calendar-based plan underestimates each window.
    const fake = await startFake({ nextUrl: false, stockSession: 'always' });
    const request = { symbol: 'AAPL', timeframe: '1m' as const, from: Date.UTC(2024, 0, 8), to: Date.UTC(2024, 0, 22) };
    const client = clientFor(fake, { pageLimit: 5_000 });
    const { bars } = await fetchAll(client, request);
    expect(bars).toEqual(marketCandles(fake, 'AAPL', request.from, request.to));
    expect((await countsOf(client)).cutResponses).toBeGreaterThan(0);
    expect(logger.text).toMatch(/looks cut \(5000 base aggregates read for a limit of 5000/);
  });

  it('re-asks hour bars cut at the limit, so no hour is stored from part of its minutes', async () => {
    const request = { symbol: 'MSFT', timeframe: '1h' as const, from: Date.UTC(2024, 0, 8), to: Date.UTC(2024, 0, 12) };
    const cutting = await startFake({ nextUrl: false, stockSession: 'always' });
    const paging = await startFake({ stockSession: 'always' });
    const cut = await fetchAll(clientFor(cutting, { pageLimit: 1_000 }), request);
    const whole = await fetchAll(clientFor(paging), request);
    expect(whole.bars).toHaveLength(96);
    expect(cut.bars).toEqual(whole.bars);
  });

  it('re-asks the rest of a window whose answer ends early while the market was open', async () => {
    const fake = await startFake();
    const request = { symbol: 'X:BTCUSD', timeframe: '1m' as const, from: Date.UTC(2024, 0, 5), to: Date.UTC(2024, 0, 7) };
    fake.faults.enqueue('cut');
    const client = clientFor(fake);
    const { bars, requests } = await fetchAll(client, request);
    expect(bars).toEqual(marketCandles(fake, 'X:BTCUSD', request.from, request.to));
    expect(requests).toBe(2);
    expect((await countsOf(client)).cutResponses).toBe(1);
  });

  it('accepts an answer that ends at the present', async () => {
    const now = Date.UTC(2024, 0, 5, 12, 0, 30);
    const fake = await startFake({ now: () => now });
    const client = clientFor(fake, { now: () => now });
    const { bars, requests } = await fetchAll(client, {
      symbol: 'X:BTCUSD',
      timeframe: '1m',
      from: Date.UTC(2024, 0, 5),
      to: Date.UTC(2024, 0, 6),
    });
    expect(requests).toBe(1);
    expect(bars[bars.length - 1].time).toBe(Date.UTC(2024, 0, 5, 11, 59));
  });
});

describe('PolygonClient retries and errors', () => {
  const request = { symbol: 'X:BTCUSD', timeframe: '1h' as const, from: Date.UTC(2024, 0, 5), to: Date.UTC(2024, 0, 6) };

  it('retries 429, 5xx, timeouts, resets and unreadable bodies, then returns the full answer', async () => {
    const fake = await startFake();
    const client = clientFor(fake, { timeoutMs: 300 });
    fake.faults.enqueue('rate-limit', 'server-error', 'bad-gateway', 'reset', 'hang', 'truncated-json', 'garbage');
    const { bars, requests } = await fetchAll(client, request);
    expect(bars).toHaveLength(24);
    expect(requests).toBe(8);
    expect(await countsOf(client)).toMatchObject({ requests: 8, rateLimited: 1, retries: 7, failures: 0, pages: 1, barsFetched: 24 });
    expect(logger.text).toMatch(/timeout \(E[A-Z_]+\); retry 5 of 8/);
    expect(logger.text).toMatch(/connection reset \(ECONNRESET\); retry 4 of 8/);
  });

  it('honours Retry-After on 429', async () => {
    const fake = await startFake({ retryAfterSeconds: 1 });
    fake.faults.enqueue('rate-limit');
    await fetchAll(clientFor(fake), request);
    const [limited, retried] = fake.requests;
    expect(limited.status).toBe(429);
    expect(retried.status).toBe(200);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(1_000);
  });

  it('slows its request spacing after a 429 and recovers it after a run of successes', async () => {
    const fake = await startFake();
    const client = clientFor(fake, { rateLimitPerMinute: 60_000 });
    const base = (await countsOf(client)).limiterSpacingMs;
    fake.faults.enqueue('rate-limit', 'rate-limit');
    await fetchAll(client, request);
    expect((await countsOf(client)).limiterSpacingMs).toBe(base * 4);
    for (let i = 0; i < 20; i++) await fetchAll(client, request);
    expect((await countsOf(client)).limiterSpacingMs).toBe(base);
  });

  it('gives up after POLYGON_MAX_RETRIES with a typed error', async () => {
    const fake = await startFake();
    fake.faults.enqueue('server-error', 'server-error', 'server-error', 'server-error');
    const error = await failureOf(fetchAll(clientFor(fake, { maxRetries: 3 }), request));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toMatch(/after 4 attempt\(s\); last failure: 500 Internal server error/);
    expect(fake.requestCount).toBe(4);

    fake.faults.enqueue('rate-limit', 'rate-limit', 'rate-limit');
    const limited = await failureOf(fetchAll(clientFor(fake, { maxRetries: 2 }), request));
    expect(limited).toBeInstanceOf(ProviderRateLimitedError);
    expect(limited.message).toContain("You've exceeded the maximum requests per minute");

    fake.faults.enqueue('garbage', 'garbage');
    const unreadable = await failureOf(fetchAll(clientFor(fake, { maxRetries: 1 }), request));
    expect(unreadable).toBeInstanceOf(ProviderBadPayloadError);
    expect(unreadable.message).toMatch(/X:BTCUSD 1h .*not JSON .* on all 2 attempts/);
  });

  it("fails fast on 403 with the provider's message", async () => {
    const fake = await startFake();
    fake.faults.enqueue('not-authorized');
    const error = await failureOf(fetchAll(clientFor(fake), request));
    expect(error).toBeInstanceOf(ProviderNotAuthorizedError);
    expect((error as ProviderNotAuthorizedError).status).toBe(403);
    expect((error as ProviderNotAuthorizedError).providerMessage).toBe(
      'You are not entitled to this data. Please upgrade your plan at https://massive.com/pricing',
    );
    expect((error as ProviderNotAuthorizedError).requestId).toBe(fake.requests[0].requestId);
    expect(fake.requestCount).toBe(1);
  });

  it('fails fast on a wrong key, which never shows in the error', async () => {
    const fake = await startFake();
    const error = await failureOf(fetchAll(clientFor(fake, { apiKey: 'pk_wrong_key_0123456789' }), request));
    expect(error).toBeInstanceOf(ProviderNotAuthorizedError);
    expect(error.message).not.toContain('pk_wrong_key_0123456789');
    expect(fake.requestCount).toBe(1);
  });

  it('reports 404 as not found', async () => {
    const fake = await startFake();
    fake.faults.enqueue('not-found');
    const error = await failureOf(fetchAll(clientFor(fake), request));
    expect(error).toBeInstanceOf(ProviderNotFoundError);
    expect(error.message).toBe('provider has no 1h aggregates of X:BTCUSD: resource not found');
  });

  it('rejects a page with an invalid bar whole, naming symbol, timeframe and request id', async () => {
    const fake = await startFake();
    const client = clientFor(fake);
    fake.faults.enqueue('ohlc-violation');
    const pages: number[] = [];
    const error = await failureOf(
      (async () => {
        for await (const page of client.fetchBars(request)) pages.push(page.bars.length);
      })(),
    );
    expect(error).toBeInstanceOf(ProviderBadPayloadError);
    const bad = error as ProviderBadPayloadError;
    expect(bad).toMatchObject({ symbol: 'X:BTCUSD', timeframe: '1h', requestId: fake.requests[0].requestId });
    expect(bad.message).toContain(fake.requests[0].requestId);
    expect(bad.message).toMatch(/high .* is below max\(open, close\)/);
    expect(pages).toEqual([]);
    expect(await countsOf(client)).toMatchObject({ rejectedPages: 1, pages: 0 });
  });

  it('refuses to work without a key', async () => {
    const client = new PolygonClient(
      { ...DEFAULT_POLYGON_TUNING, baseUrl: 'http://127.0.0.1:9', adjusted: true, timeoutMs: 1000, maxRetries: 1, rateLimitPerMinute: 5 },
      new PolygonMetrics(new Registry()),
    );
    expect(client.isConfigured).toBe(false);
    await expect(fetchAll(client, request)).rejects.toBeInstanceOf(ProviderNotConfiguredError);
  });
});

describe('PolygonClient metrics', () => {
  it('counts requests, 429s, retries, latency and bars in its registry, without the key', async () => {
    const fake = await startFake();
    const registry = new Registry();
    const client = new PolygonClient(
      {
        ...DEFAULT_POLYGON_TUNING,
        apiKey: KEY,
        baseUrl: fake.url,
        adjusted: true,
        timeoutMs: 1000,
        maxRetries: 3,
        rateLimitPerMinute: 600_000,
        backoffBaseMs: 5,
        backoffMaxMs: 10,
      },
      new PolygonMetrics(registry),
    );
    clients.push(client);
    fake.faults.enqueue('rate-limit', 'server-error');
    await fetchAll(client, { symbol: 'X:BTCUSD', timeframe: '1h', from: Date.UTC(2024, 0, 5), to: Date.UTC(2024, 0, 6) });
    const text = await registry.metrics();
    expect(text).toContain('polygon_requests_total{outcome="ok"} 1');
    expect(text).toContain('polygon_requests_total{outcome="rate_limited"} 1');
    expect(text).toContain('polygon_rate_limited_total 1');
    expect(text).toContain('polygon_retries_total{reason="server_error"} 1');
    expect(text).toContain('polygon_bars_fetched_total{timeframe="1h"} 24');
    expect(text).toContain('polygon_request_duration_seconds_count 3');
    expect(text).not.toContain(KEY);
    const counts = await polygonCounts(registry);
    expect(counts).toMatchObject({ requests: 3, rateLimited: 1, retries: 2, barsFetched: 24 });
    expect(counts.timedRequests).toBe(3);
    expect(JSON.stringify(await registry.getMetricsAsJSON())).not.toContain(KEY);
  });
});
