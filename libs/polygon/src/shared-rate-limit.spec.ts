import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { DEFAULT_POLYGON_TUNING, PolygonClientOptions } from './polygon-client.options';
import { PolygonClient } from './polygon.client';
import { PolygonMetrics } from './polygon.metrics';
import { CapturingLogger } from './testing/capturing.logger';
import { FakePolygonServer } from './testing/fake-polygon.server';
import { type PolygonCounts, polygonCounts } from './testing/polygon-counts';

/** The real local Redis (it runs on the development machines and in CI); no Redis, no pass. */
const REDIS_URL = 'redis://127.0.0.1:6379';
const KEY = 'pk_shared_limit_0123456789abcdef';
/** Our budget: 240 a minute = one request every 255 ms with the safety margin. */
const PER_MINUTE = 240;
/** The provider's own limit, scaled to a second so the test is quick: 5 per second. */
const PROVIDER_LIMIT = { requests: 5, windowMs: 1_000 };
const REQUESTS_PER_CLIENT = 8;

Logger.overrideLogger(new CapturingLogger());

/** Each client's own registry: what its PolygonMetrics counted. */
const registries = new Map<PolygonClient, Registry>();

function clientFor(fake: FakePolygonServer, overrides: Partial<PolygonClientOptions>): PolygonClient {
  const registry = new Registry();
  const client = new PolygonClient(
    {
      ...DEFAULT_POLYGON_TUNING,
      apiKey: KEY,
      baseUrl: fake.url,
      adjusted: true,
      timeoutMs: 10_000,
      maxRetries: 20,
      rateLimitPerMinute: PER_MINUTE,
      backoffBaseMs: 50,
      backoffMaxMs: 200,
      now: () => Date.UTC(2024, 5, 1),
      ...overrides,
    },
    new PolygonMetrics(registry),
  );
  registries.set(client, registry);
  return client;
}

async function countsOf(client: PolygonClient): Promise<PolygonCounts> {
  const registry = registries.get(client);
  if (!registry) throw new Error('not a client of clientFor()');
  return polygonCounts(registry);
}

/** Each client fetches `count` one-request ranges at once; its limiter queues them. */
async function burst(client: PolygonClient, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const from = Date.UTC(2024, 0, 1 + i);
      for await (const page of client.fetchBars({ symbol: 'X:BTCUSD', timeframe: '1h', from, to: from + 86_400_000 })) {
        expect(page.bars).toHaveLength(24);
      }
    }),
  );
}

/** Most requests that arrived within any `windowMs`. */
function busiestWindow(arrivals: number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('rate limit shared through Redis', () => {
  const limiterId = `market-data-api:test:${randomBytes(6).toString('hex')}`;
  let fake: FakePolygonServer;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    expect(await redis.ping()).toBe('PONG');
  });

  beforeEach(async () => {
    fake = await FakePolygonServer.start({ apiKey: KEY, rateLimit: PROVIDER_LIMIT, now: () => Date.UTC(2024, 5, 1) });
  });

  afterEach(() => fake.stop());

  afterAll(async () => {
    const keys = await redis.keys(`b_${limiterId}_*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('two clients on one Redis limiter stay under the combined limit: no 429, requests spaced by one budget', async () => {
    const first = clientFor(fake, { redisUrl: REDIS_URL, limiterId });
    const second = clientFor(fake, { redisUrl: REDIS_URL, limiterId });
    try {
      expect(first.isRateLimitShared && second.isRateLimitShared).toBe(true);
      await Promise.all([burst(first, REQUESTS_PER_CLIENT), burst(second, REQUESTS_PER_CLIENT)]);
    } finally {
      await first.close();
      await second.close();
    }
    const arrivals = fake.requests.map((r) => r.at);
    expect(arrivals).toHaveLength(2 * REQUESTS_PER_CLIENT);
    expect(fake.countStatus(429)).toBe(0);
    // 255 ms apart at most 4 fit in a second; allow one for timer jitter, still under the provider's 5.
    expect(busiestWindow(arrivals, 1_000)).toBeLessThanOrEqual(PROVIDER_LIMIT.requests);
    expect(busiestWindow(arrivals, 2_000)).toBeLessThanOrEqual(9);
    // Nothing had to be retried: each client sent exactly its own requests.
    expect(await countsOf(first)).toMatchObject({ requests: REQUESTS_PER_CLIENT, retries: 0 });
    expect(await countsOf(second)).toMatchObject({ requests: REQUESTS_PER_CLIENT, retries: 0 });
  });

  it('without Redis the same two clients each spend the whole budget and run into 429s', async () => {
    const first = clientFor(fake, {});
    const second = clientFor(fake, {});
    try {
      expect(first.isRateLimitShared || second.isRateLimitShared).toBe(false);
      await Promise.all([burst(first, REQUESTS_PER_CLIENT), burst(second, REQUESTS_PER_CLIENT)]);
    } finally {
      await first.close();
      await second.close();
    }
    expect(fake.countStatus(429)).toBeGreaterThan(0);
    expect((await countsOf(first)).rateLimited + (await countsOf(second)).rateLimited).toBe(fake.countStatus(429));
  });
});
