import Redis from 'ioredis';
import type { Registry } from 'prom-client';
import request from 'supertest';
import { CLOCK, type Candle, sleep } from '@app/core';
import { DatabaseService } from '@app/database';
import { IngestionService } from '@app/ingestion';
import { CandleRepository } from '@app/market-data';
import { METRICS_REGISTRY } from '@app/metrics';
import { POLYGON_TUNING } from '@app/polygon';
import { FakePolygonServer } from '@app/polygon/testing';
import { ENGINES, type TestApp, TestRedisServer } from '@app/testing';
import { metricSample } from './support/metric-sample';
import { createTestApp } from './support/test-app';
import { ManualClock } from './backfill-support';

const SYMBOL = 'X:ETHUSD';
const FROM = Date.UTC(2024, 0, 5, 0);
const TO = Date.UTC(2024, 0, 5, 3);
const MINUTE = 60_000;
const REDIS_URL = 'redis://127.0.0.1:6379';

interface Bar {
  time: string;
  close: number;
  volume: number;
  isComplete: boolean;
}

const candlesPath = (timeframe: string, start = FROM, end = TO, extra = '') =>
  `/api/v1/asset/${SYMBOL}/candles?timeframe=${timeframe}&start=${start}&end=${end}${extra}`;

async function counter(t: TestApp, name: string, labels = ''): Promise<number> {
  return metricSample(await t.app.get<Registry>(METRICS_REGISTRY).metrics(), `${name}${labels}`) ?? 0;
}

async function cacheHealth(t: TestApp): Promise<string> {
  const body = (await request(t.server).get('/health')).body as { details: { cache: { cache: string } } };
  return body.details.cache.cache;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const providerEnv = (fake: FakePolygonServer, extra: Record<string, string> = {}) => ({
  POLYGON_API_KEY: 'test-key',
  POLYGON_BASE_URL: fake.url,
  POLYGON_RATE_LIMIT_PER_MINUTE: '100000',
  ...extra,
});
const fastBackoff = {
  customize: (b: import('@nestjs/testing').TestingModuleBuilder) =>
    b.overrideProvider(POLYGON_TUNING).useValue({ backoffBaseMs: 5, backoffMaxMs: 20 }),
};

describe.each(ENGINES)('the query cache on %s, two instances sharing Redis', (engine) => {
  let fake: FakePolygonServer;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    a = await createTestApp(engine, { env: providerEnv(fake, { REDIS_URL }), ...fastBackoff });
    b = await createTestApp(engine, { env: providerEnv(fake, { REDIS_URL }), testDatabase: a.testDatabase, ...fastBackoff });
    await a.app.get(IngestionService).ingest(SYMBOL, '1m', FROM, TO);
    await eventually(async () => (await cacheHealth(a)) === 'ok' && (await cacheHealth(b)) === 'ok', 'Redis on both instances');
  });

  afterAll(async () => {
    await b.close();
    await a.close();
    await fake.stop();
  });

  it('serves a page computed on one instance from Redis on the other, then from memory', async () => {
    const first = await request(a.server).get(candlesPath('1m')).set('Accept-Encoding', 'identity').expect(200);
    expect(first.headers['x-cache']).toBe('miss');
    expect(first.body.bars).toHaveLength(180);
    const shared = await request(b.server).get(candlesPath('1m')).set('Accept-Encoding', 'identity').expect(200);
    expect(shared.headers['x-cache']).toBe('redis');
    expect(shared.text).toBe(first.text);
    expect(shared.headers.etag).toBe(first.headers.etag);
    const again = await request(b.server).get(candlesPath('1m')).expect(200);
    expect(again.headers['x-cache']).toBe('local');
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    // Settled bars: reusable for the 1m TTL (60 s), by any cache.
    expect(first.headers['cache-control']).toMatch(/^public, max-age=(59|60)$/);
    expect(first.headers.vary).toBe('Accept-Encoding');
  });

  it('returns a revised bar written through ingestion on both instances, and the 1h bars derived from it', async () => {
    const before1m = (await request(b.server).get(candlesPath('1m')).expect(200)).body.bars as Bar[];
    const before1h = (await request(b.server).get(candlesPath('1h')).expect(200)).body.bars as Bar[];
    await request(a.server).get(candlesPath('1h')).expect(200); // cached on both now

    fake.market.revise(SYMBOL, FROM + 10 * MINUTE, FROM + 12 * MINUTE);
    const result = await a.app.get(IngestionService).ingest(SYMBOL, '1m', FROM, TO);
    expect(result.written).toBe(2);

    const revised = fake.market.minuteBars(SYMBOL, FROM + 10 * MINUTE, FROM + 12 * MINUTE, true);
    for (const t of [b, a]) {
      const bars = (await request(t.server).get(candlesPath('1m')).expect(200)).body.bars as Bar[];
      expect(bars.slice(10, 12).map((bar) => [bar.close, bar.volume])).toEqual(revised.map((bar) => [bar.c, bar.v]));
      expect(bars[10].close).not.toBe(before1m[10].close);
      expect(bars.slice(12)).toEqual(before1m.slice(12));
      const hours = (await request(t.server).get(candlesPath('1h')).expect(200)).body.bars as Bar[];
      expect(hours[0].volume).toBe(before1h[0].volume + revised.reduce((sum, bar, i) => sum + bar.v - before1m[10 + i].volume, 0));
      expect(hours.slice(1)).toEqual(before1h.slice(1));
    }
  });

  it('answers If-None-Match with 304 and no database query, until a write changes the ETag', async () => {
    const path = candlesPath('1m', FROM, FROM + 60 * MINUTE);
    const first = await request(a.server).get(path).set('Accept-Encoding', 'identity').expect(200);
    const tag = first.headers.etag;
    expect(tag).toMatch(/^"[\w-]{43}"$/);
    const database = a.app.get(DatabaseService);
    const queries = jest.spyOn(database, 'query');
    try {
      const notModified = await request(a.server).get(path).set('If-None-Match', `W/"other", ${tag}`).expect(304);
      expect(notModified.text).toBe('');
      expect(notModified.headers.etag).toBe(tag);
      expect(notModified.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      await request(b.server).get(path).set('If-None-Match', tag).expect(304); // the tag holds on every instance
      expect(queries).not.toHaveBeenCalled();
    } finally {
      queries.mockRestore();
    }
    fake.market.revise(SYMBOL, FROM + 30 * MINUTE, FROM + 31 * MINUTE);
    await b.app.get(IngestionService).ingest(SYMBOL, '1m', FROM, TO);
    const changed = await request(a.server).get(path).set('If-None-Match', tag).expect(200);
    expect(changed.headers.etag).not.toBe(tag);
    expect(await counter(a, 'cache_not_modified_total')).toBeGreaterThanOrEqual(1);
  });

  it('sends gzip and br to clients that take them, the same bytes once decoded, each with its own ETag', async () => {
    const plain = await request(a.server).get(candlesPath('1m')).set('Accept-Encoding', 'identity').expect(200);
    const zipped = await request(b.server).get(candlesPath('1m')).set('Accept-Encoding', 'gzip').expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.etag).toBe(plain.headers.etag.replace(/"$/, '.gzip"'));
    // supertest undoes gzip itself; the length on the wire is what the header says.
    expect(Number(zipped.headers['content-length'])).toBeLessThan(plain.text.length / 3);
    expect(zipped.body).toEqual(plain.body);
    const brotli = await request(a.server).get(candlesPath('1m')).set('Accept-Encoding', 'br;q=1, gzip;q=0.5').expect(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.body).toEqual(plain.body);
    const refused = await request(a.server).get(candlesPath('1m')).set('Accept-Encoding', 'gzip;q=0').expect(200);
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('runs one database read for 50 identical concurrent misses', async () => {
    const path = candlesPath('1m', FROM + 7 * MINUTE, FROM + 97 * MINUTE);
    const reads = jest.spyOn(a.app.get(CandleRepository), 'findRange');
    const redisErrors = await counter(a, 'cache_redis_errors_total');
    try {
      const responses = await Promise.all(Array.from({ length: 50 }, () => request(a.server).get(path)));
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(new Set(responses.map((r) => r.text)).size).toBe(1);
      // A Redis command slower than 50 ms (a loaded CI machine) degrades to the local tier, whose versions make a
      // second key: one read per key, never one per request.
      const degraded = (await counter(a, 'cache_redis_errors_total')) > redisErrors;
      expect(reads.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(reads.mock.calls.length).toBeLessThanOrEqual(degraded ? 2 : 1);
    } finally {
      reads.mockRestore();
    }
  });

  it('reads the next page ahead while a client walks a range with cursors', async () => {
    const walk = `${candlesPath('1m')}&limit=37`;
    const first = await request(a.server).get(walk).set('Accept-Encoding', 'identity').expect(200);
    const reads = jest.spyOn(a.app.get(CandleRepository), 'findRange');
    let third: request.Response;
    try {
      const second = await request(a.server).get(`${walk}&cursor=${first.body.nextCursor}`).set('Accept-Encoding', 'identity').expect(200);
      await eventually(async () => reads.mock.calls.length === 2, 'the third page read ahead');
      third = await request(a.server).get(`${walk}&cursor=${second.body.nextCursor}`).set('Accept-Encoding', 'identity').expect(200);
      expect(third.headers['x-cache']).toBe('local');
      expect((third.body.bars as Bar[])[0].time).toBe(new Date(FROM + 74 * MINUTE).toISOString());
      await eventually(async () => reads.mock.calls.length === 3, 'the fourth page read ahead');
    } finally {
      reads.mockRestore();
    }
    // The page read ahead holds what a read of the store gives.
    const stored = await a.app
      .get(CandleRepository)
      .findRange({ symbol: SYMBOL, timeframe: '1m', start: FROM + 74 * MINUTE, end: TO, limit: 37, order: 'asc' });
    expect((third.body.bars as Bar[]).map((bar) => [Date.parse(bar.time), bar.close, bar.volume])).toEqual(
      stored.map((bar) => [bar.time, bar.close, bar.volume]),
    );
  });

  it('ignores a corrupt or foreign value in Redis', async () => {
    const path = candlesPath('1m', FROM, FROM + 45 * MINUTE);
    const good = await request(a.server).get(path).expect(200);
    const redis = new Redis(REDIS_URL);
    try {
      const keys = (await redis.keys('mda:cache:*')).filter((key) => !key.includes(':v:'));
      for (const key of keys) await redis.set(key, Buffer.from('MDAC1 not what it seems'), 'PX', 60_000);
      const c = await createTestApp(engine, { env: { REDIS_URL }, testDatabase: a.testDatabase });
      try {
        await eventually(async () => (await cacheHealth(c)) === 'ok', 'Redis on a third instance');
        const fresh = await request(c.server).get(path).expect(200);
        expect(fresh.headers['x-cache']).toBe('miss');
        expect(fresh.text).toBe(good.text);
      } finally {
        await c.close();
      }
    } finally {
      redis.disconnect();
    }
  });
});

describe('the query cache and the clock', () => {
  const clock = new ManualClock(Date.UTC(2024, 0, 5, 2, 30, 30));
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('postgresql', { customize: (builder) => builder.overrideProvider(CLOCK).useValue(clock) });
    const bars: Candle[] = Array.from({ length: 151 }, (_, i) => ({
      symbol: SYMBOL,
      timeframe: '1m',
      time: FROM + i * MINUTE,
      open: 100 + i,
      high: 101 + i,
      low: 99 + i,
      close: 100.5 + i,
      volume: 10 + i,
      vwap: null,
      trades: null,
    }));
    await t.app.get(CandleRepository).upsertMany(bars);
  });

  afterAll(() => t.close());

  it('never serves the forming bar past its window, nor as reusable', async () => {
    const path = candlesPath('1m', FROM, FROM + 151 * MINUTE);
    const forming = await request(t.server).get(path).expect(200);
    expect((forming.body.bars as Bar[]).at(-1)).toMatchObject({ time: '2024-01-05T02:30:00.000Z', isComplete: false });
    expect(forming.headers['cache-control']).toBe('no-cache');
    expect((await request(t.server).get(path).expect(200)).headers['x-cache']).toBe('local');
    clock.advance(31_000); // 02:31:01: the 02:30 bar has closed
    const closed = await request(t.server).get(path).expect(200);
    expect(closed.headers['x-cache']).toBe('miss');
    expect((closed.body.bars as Bar[]).at(-1)).toMatchObject({ time: '2024-01-05T02:30:00.000Z', isComplete: true });
    // Complete, but inside the revision window: still no-cache for HTTP caches.
    expect(closed.headers['cache-control']).toBe('no-cache');
    clock.advance(60 * MINUTE);
    expect((await request(t.server).get(path).expect(200)).headers['cache-control']).toMatch(/^public, max-age=60$/);
  });

  it('does not cache a window that ends now, and says so in its metrics', async () => {
    const before = await counter(t, 'cache_bypasses_total', '{reason="moving-window"}');
    const response = await request(t.server).get(`/api/v1/asset/${SYMBOL}/candles?timeframe=1m`).expect(200);
    expect(response.headers['x-cache']).toBe('bypass');
    expect(response.headers.etag).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(await counter(t, 'cache_bypasses_total', '{reason="moving-window"}')).toBe(before + 1);
  });

  it('drops every answer of a purged symbol', async () => {
    const path = candlesPath('1m', FROM, FROM + 60 * MINUTE);
    expect((await request(t.server).get(path).expect(200)).body.bars).toHaveLength(60);
    await request(t.server)
      .post('/api/v1/symbols')
      .send({ symbol: SYMBOL, timeframes: ['1m'] });
    await request(t.server).delete(`/api/v1/symbol/${SYMBOL}?purge=true`).expect(200);
    expect((await request(t.server).get(path).expect(200)).body.bars).toHaveLength(0);
  });
});

describe('the query cache with read replicas', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A replica that never answers: reads fall back to the primary, and answers still obey its lag limit.
    t = await createTestApp('postgresql', {
      env: { DATABASE_REPLICA_URLS: 'postgres://postgres@127.0.0.1:1/none', REPLICA_MAX_LAG_SECONDS: '5' },
    });
    await t.app.get(CandleRepository).upsertMany(
      Array.from({ length: 30 }, (_, i) => ({
        symbol: SYMBOL,
        timeframe: '1m' as const,
        time: FROM + i * MINUTE,
        open: 1,
        high: 2,
        low: 0.5,
        close: 1.5,
        volume: 10,
        vwap: null,
        trades: null,
      })),
    );
  });

  afterAll(() => t.close());

  it('keeps no answer longer than a replica may lag, so none read from a replica behind a write outlives that lag', async () => {
    const response = await request(t.server)
      .get(candlesPath('1m', FROM, FROM + 30 * MINUTE))
      .expect(200);
    expect(response.body.bars).toHaveLength(30);
    expect(response.headers['cache-control']).toMatch(/^public, max-age=[45]$/);
  });
});

describe('the query cache when Redis fails', () => {
  let redis: TestRedisServer;
  let t: TestApp;
  const page = (minutes: number) => candlesPath('1m', FROM, FROM + minutes * MINUTE);
  const bar = (i: number): Candle => ({
    symbol: SYMBOL,
    timeframe: '1m',
    time: FROM + i * MINUTE,
    open: 100,
    high: 101,
    low: 99,
    close: 100 + i / 100,
    volume: 1000 + i,
    vwap: null,
    trades: null,
  });

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    t = await createTestApp('postgresql', { env: { REDIS_URL: redis.url, CACHE_MAX_BYTES: '400000' } });
    await t.app.get(CandleRepository).upsertMany(Array.from({ length: 180 }, (_, i) => bar(i)));
    await eventually(async () => (await cacheHealth(t)) === 'ok', 'Redis');
  });

  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('keeps answering correctly while Redis is down or frozen, says degraded, and recovers by itself', async () => {
    await request(t.server).get(page(30)).expect(200);
    expect((await request(t.server).get(page(30)).expect(200)).headers['x-cache']).toBe('local');

    await redis.stop();
    const down = await request(t.server).get(page(40)).expect(200);
    expect(down.body.bars).toHaveLength(40);
    await eventually(async () => (await cacheHealth(t)) === 'degraded', 'degraded');
    expect(await counter(t, 'cache_degraded')).toBe(1);
    // A write while Redis is down is still seen by the next read here.
    const repository = t.app.get(CandleRepository);
    await repository.upsertMany([
      { symbol: SYMBOL, timeframe: '1m', time: FROM, open: 1, high: 2, low: 0.5, close: 1.5, volume: 7, vwap: null, trades: null },
    ]);
    expect((await request(t.server).get(page(30)).expect(200)).body.bars[0]).toMatchObject({ close: 1.5, volume: 7 });

    await redis.restart();
    await eventually(async () => (await cacheHealth(t)) === 'ok', 'recovery');
    expect(await counter(t, 'cache_degraded')).toBe(0);
    const back = await request(t.server).get(page(50)).expect(200);
    expect(back.headers['x-cache']).toBe('miss');
    expect(back.body.bars[0]).toMatchObject({ close: 1.5 });

    // Cached in both tiers before Redis stalls, under versions Redis still holds after it.
    expect((await request(t.server).get(page(55)).expect(200)).body.bars[1]).toMatchObject({ close: 100.01 });
    redis.freeze(); // commands hang: the 50 ms command timeout must cut them off
    try {
      const frozen = await request(t.server).get(page(56)).expect(200);
      expect(frozen.body.bars).toHaveLength(56);
      await eventually(async () => (await cacheHealth(t)) === 'degraded', 'degraded while frozen');
      await repository.upsertMany([{ ...bar(1), close: 2.5 }]);
      expect((await request(t.server).get(page(55)).expect(200)).body.bars[1]).toMatchObject({ close: 2.5 });
    } finally {
      redis.thaw();
    }
    await eventually(async () => (await cacheHealth(t)) === 'ok', 'recovery after the freeze');
    // The write made while Redis stalled reached its versions before Redis was read again.
    const after = await request(t.server).get(page(55)).expect(200);
    expect(after.body.bars[1]).toMatchObject({ close: 2.5 });
    expect(await counter(t, 'cache_redis_errors_total')).toBeGreaterThan(0);
  });

  it('holds its memory bound under a flood of distinct queries', async () => {
    for (let minutes = 1; minutes <= 120; minutes++) await request(t.server).get(page(minutes)).expect(200);
    expect(await counter(t, 'cache_bytes')).toBeLessThanOrEqual(400_000);
    expect(await counter(t, 'cache_evictions_total')).toBeGreaterThan(0);
    expect(await counter(t, 'cache_entries')).toBeGreaterThan(0);
  });
});

describe('the query cache turned off', () => {
  it('answers every request from the database, the same bytes', async () => {
    const t = await createTestApp('postgresql', { env: { CACHE_ENABLED: 'false' } });
    try {
      await t.app
        .get(CandleRepository)
        .upsertMany([
          { symbol: SYMBOL, timeframe: '1m', time: FROM, open: 1, high: 2, low: 0.5, close: 1.5, volume: 7, vwap: null, trades: null },
        ]);
      const first = await request(t.server).get(candlesPath('1m')).expect(200);
      const second = await request(t.server).get(candlesPath('1m')).expect(200);
      expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['bypass', 'bypass']);
      expect(second.text).toBe(first.text);
      expect(await cacheHealth(t)).toBe('disabled');
    } finally {
      await t.close();
    }
  });
});
