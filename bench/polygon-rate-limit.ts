/**
 * 30 requests at POLYGON_RATE_LIMIT_PER_MINUTE=60 against the fake Polygon enforcing its own
 * 60 per minute: no 429 may come back, and the batch should take the floor (requests / rate
 * = 30 s), give or take 10%: slower wastes the plan, faster would mean bursting. Then the same
 * 30 requests split over two clients sharing the limit through Redis (when it answers).
 *
 *   npm run bench:polygon-rate               (= npm run bench -- bench/polygon-rate-limit.ts)
 *   npm run bench -- bench/polygon-rate-limit.ts [--requests 30] [--per-minute 60] [--no-redis]
 */
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { DEFAULT_POLYGON_TUNING, PolygonClient, PolygonMetrics } from '@app/polygon';
import { CapturingLogger, FakePolygonServer } from '@app/polygon/testing';

const KEY = 'pk_bench_rate_0123456789abcdef';
const REDIS_URL = 'redis://127.0.0.1:6379';

interface Args {
  requests: number;
  perMinute: number;
  redis: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { requests: 30, perMinute: 60, redis: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--requests') args.requests = Number(argv[++i]);
    else if (argv[i] === '--per-minute') args.perMinute = Number(argv[++i]);
    else if (argv[i] === '--no-redis') args.redis = false;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return args;
}

function client(fake: FakePolygonServer, perMinute: number, redisUrl?: string, limiterId?: string): PolygonClient {
  return new PolygonClient(
    {
      ...DEFAULT_POLYGON_TUNING,
      apiKey: KEY,
      baseUrl: fake.url,
      adjusted: true,
      timeoutMs: 10_000,
      maxRetries: 5,
      rateLimitPerMinute: perMinute,
      redisUrl,
      ...(limiterId ? { limiterId } : {}),
    },
    new PolygonMetrics(new Registry()),
  );
}

/** `count` one-request fetches (a day of hour bars each), all queued at once. */
async function fire(target: PolygonClient, count: number, offset: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const from = Date.UTC(2024, 0, 1) + (offset + i) * 86_400_000;
      for await (const page of target.fetchBars({ symbol: 'X:BTCUSD', timeframe: '1h', from, to: from + 86_400_000 })) {
        if (page.bars.length !== 24) throw new Error(`expected 24 bars, got ${page.bars.length}`);
      }
    }),
  );
}

function busiestMinute(fake: FakePolygonServer): number {
  const arrivals = fake.requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < arrivals.length; j++) {
    while (arrivals[j] - arrivals[i] >= 60_000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

function report(label: string, fake: FakePolygonServer, wallMs: number, args: Args): void {
  const floorMs = (args.requests / args.perMinute) * 60_000;
  const ratio = wallMs / floorMs;
  console.log(`\n== ${label} ==`);
  console.log(
    `requests: ${fake.requestCount} (429s: ${fake.countStatus(429)}), busiest 60 s window: ${busiestMinute(fake)} (limit ${args.perMinute})`,
  );
  console.log(
    `wall: ${(wallMs / 1000).toFixed(2)} s; floor (requests / rate): ${(floorMs / 1000).toFixed(2)} s; wall/floor ${ratio.toFixed(3)} (target 0.9..1.1)`,
  );
  if (fake.countStatus(429) > 0 || Math.abs(ratio - 1) > 0.1) process.exitCode = 1;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  Logger.overrideLogger(new CapturingLogger());

  const fake = await FakePolygonServer.start({ apiKey: KEY, rateLimit: { requests: args.perMinute } });
  const single = client(fake, args.perMinute);
  let started = performance.now();
  await fire(single, args.requests, 0);
  report(
    `${args.requests} requests, one client at ${args.perMinute}/min, provider limit ${args.perMinute}/min`,
    fake,
    performance.now() - started,
    args,
  );
  await single.close();
  await fake.stop();

  if (!args.redis) return;
  const probe = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  const redisUp = await probe.connect().then(
    () => true,
    () => false,
  );
  if (!redisUp) {
    console.log(`\n(Redis at ${REDIS_URL} does not answer: shared-limit run skipped)`);
    probe.disconnect();
    return;
  }
  const limiterId = `market-data-api:bench:${randomBytes(4).toString('hex')}`;
  const shared = await FakePolygonServer.start({ apiKey: KEY, rateLimit: { requests: args.perMinute } });
  const [first, second] = [client(shared, args.perMinute, REDIS_URL, limiterId), client(shared, args.perMinute, REDIS_URL, limiterId)];
  started = performance.now();
  const half = Math.floor(args.requests / 2);
  await Promise.all([fire(first, half, 0), fire(second, args.requests - half, half)]);
  report(
    `${args.requests} requests over two clients sharing ${args.perMinute}/min through Redis`,
    shared,
    performance.now() - started,
    args,
  );
  await Promise.all([first.close(), second.close()]);
  await shared.stop();
  const keys = await probe.keys(`b_${limiterId}_*`);
  if (keys.length) await probe.del(...keys);
  await probe.quit();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
