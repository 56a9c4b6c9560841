import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import request from 'supertest';
import { TestApp } from '@app/testing';
import { logParams } from '../src/logging';
import { createTestApp } from './support/test-app';

const KEY_ONE = `key-one-${randomBytes(8).toString('hex')}`;
const KEY_TWO = `key-two-${randomBytes(8).toString('hex')}`;
const REDIS_URL = 'redis://127.0.0.1:6379';

/** Writes and reads of the API, one of each kind. */
const WRITES = [
  (server: TestApp['server']) => request(server).post('/api/v1/symbols').send({ symbol: 'AAPL' }),
  (server: TestApp['server']) =>
    request(server)
      .put('/api/v1/symbol/AAPL/timeframes')
      .send({ timeframes: ['1d'] }),
  (server: TestApp['server']) => request(server).delete('/api/v1/symbol/AAPL'),
  (server: TestApp['server']) => request(server).patch('/api/v1/symbol/AAPL').send({ active: false }),
];
const READS = ['/api/v1/symbols', '/api/v1/symbol/AAPL', '/api/v1/asset/AAPL/candles'];

describe('API keys', () => {
  describe('with API_KEYS set', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp('postgresql', { env: { API_KEYS: ` ${KEY_ONE} , ${KEY_TWO} ` } });
    });

    afterAll(() => t.close());

    it('answers 401 to a write without X-API-Key and 403 to a wrong key, in the common shape, never echoing the key', async () => {
      for (const write of WRITES) {
        const missing = await write(t.server).expect(401);
        expect(missing.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'X-API-Key header is required for this route',
          requestId: expect.any(String),
        });
        await write(t.server).set('X-API-Key', '').expect(401);
        for (const wrong of [`${KEY_ONE}x`, KEY_ONE.slice(0, -1), KEY_ONE.toUpperCase(), 'k', 'x'.repeat(4096)]) {
          const response = await write(t.server).set('X-API-Key', wrong).expect(403);
          expect(response.body).toEqual({
            statusCode: 403,
            error: 'Forbidden',
            message: 'X-API-Key is not valid',
            requestId: expect.any(String),
          });
          expect(JSON.stringify(response.headers) + response.text).not.toContain(KEY_ONE.slice(0, 12));
        }
      }
      await request(t.server).get('/api/v1/symbol/AAPL').expect(404); // nothing was written
    });

    it('lets each configured key write', async () => {
      await WRITES[0](t.server).set('X-API-Key', KEY_ONE).expect(201);
      await WRITES[1](t.server).set('X-API-Key', KEY_TWO).expect(200);
      await WRITES[3](t.server).set('X-API-Key', KEY_TWO).expect(200);
      await WRITES[2](t.server).set('X-API-Key', KEY_ONE).expect(200);
    });

    it('leaves reads open', async () => {
      await WRITES[0](t.server).set('X-API-Key', KEY_TWO).expect(201);
      for (const path of READS) await request(t.server).get(path).expect(200);
      await request(t.server).get('/api/v1/symbols').set('X-API-Key', 'not-a-key').expect(200);
    });

    it('still validates the body after the key is accepted, and checks the key before the body', async () => {
      await request(t.server).post('/api/v1/symbols').set('X-API-Key', KEY_ONE).send({ symbol: '??' }).expect(400);
      await request(t.server).post('/api/v1/symbols').send({ symbol: '??' }).expect(401);
    });
  });

  describe('with API_KEYS_FOR_READS', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp('postgresql', { env: { API_KEYS: KEY_ONE, API_KEYS_FOR_READS: 'true' } });
    });

    afterAll(() => t.close());

    it('guards reads too: 401 without a key, 403 with a wrong one, 200 with a right one', async () => {
      for (const path of READS.slice(0, 1).concat(READS.slice(2))) {
        await request(t.server).get(path).expect(401);
        await request(t.server).get(path).set('X-API-Key', KEY_TWO).expect(403);
        await request(t.server).get(path).set('X-API-Key', KEY_ONE).expect(200);
      }
    });

    it('keeps /health open for probes', async () => {
      await request(t.server).get('/health').expect(200);
    });
  });

  describe('without API_KEYS', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp('postgresql', { env: { API_KEYS_FOR_READS: 'true' } });
    });

    afterAll(() => t.close());

    it('lets every route through, key or not', async () => {
      await WRITES[0](t.server).expect(201);
      await WRITES[1](t.server).set('X-API-Key', 'anything').expect(200);
      for (const path of READS) await request(t.server).get(path).expect(200);
    });
  });
});

describe('per-client rate limit', () => {
  describe('in memory', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp('postgresql', { env: { RATE_LIMIT_PER_MINUTE: '3', API_KEYS: `${KEY_ONE},${KEY_TWO}` } });
    });

    afterAll(() => t.close());

    it('answers 429 with Retry-After once a client has spent its budget, and counts each key apart', async () => {
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await request(t.server).get('/api/v1/symbols').set('X-API-Key', KEY_ONE).expect(200);
        expect(response.headers['ratelimit-limit']).toBe('3');
        remaining.push(response.headers['ratelimit-remaining']);
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const refused = await request(t.server).get('/api/v1/symbols').set('X-API-Key', KEY_ONE).expect(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(20); // one request's worth of a 3/min budget
      expect(refused.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `Rate limit of 3 requests per minute exceeded; retry in ${retryAfter} s`,
        requestId: expect.any(String),
      });
      // Writes count too, and are refused before the key or body is looked at.
      await request(t.server).post('/api/v1/symbols').set('X-API-Key', KEY_ONE).send({}).expect(429);
      // Another key is another client.
      await request(t.server).get('/api/v1/symbols').set('X-API-Key', KEY_TWO).expect(200);
    });

    it('counts callers without a valid key by address, so invented keys buy nothing', async () => {
      for (let i = 0; i < 3; i++) await request(t.server).get('/api/v1/symbols').set('X-API-Key', `made-up-${i}`).expect(200);
      await request(t.server).get('/api/v1/symbols').expect(429);
      await request(t.server).get('/api/v1/symbols').set('X-API-Key', 'made-up-9').expect(429);
      // Probes of /health are not client traffic: never limited.
      for (let i = 0; i < 5; i++) await request(t.server).get('/health').expect(200);
    });
  });

  describe('turned off', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp('postgresql', { env: { RATE_LIMIT_PER_MINUTE: '0' } });
    });

    afterAll(() => t.close());

    it('never refuses and sends no rate-limit headers', async () => {
      for (let i = 0; i < 20; i++) {
        const response = await request(t.server).get('/api/v1/symbols').expect(200);
        expect(response.headers['ratelimit-limit']).toBeUndefined();
      }
    });
  });

  describe('shared through Redis by two instances', () => {
    let a: TestApp;
    let b: TestApp;
    // A key of its own, so earlier runs (the budget lives in Redis for a minute) cannot interfere.
    const key = `shared-${randomBytes(12).toString('hex')}`;

    beforeAll(async () => {
      const env = { RATE_LIMIT_PER_MINUTE: '4', API_KEYS: key, REDIS_URL };
      a = await createTestApp('postgresql', { env });
      b = await createTestApp('postgresql', { env, testDatabase: a.testDatabase });
    });

    afterAll(async () => {
      await b.close();
      await a.close();
    });

    it('refuses the fifth request of a 4/min budget whichever instance it reaches', async () => {
      const hit = (app: TestApp) => request(app.server).get('/api/v1/symbols').set('X-API-Key', key);
      await hit(a).expect(200);
      await hit(b).expect(200);
      await hit(a).expect(200);
      const last = await hit(b).expect(200);
      expect(last.headers['ratelimit-remaining']).toBe('0');
      const refusedA = await hit(a).expect(429);
      await hit(b).expect(429);
      expect(Number(refusedA.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });

  describe('with Redis unreachable', () => {
    let t: TestApp;
    let port: number;

    beforeAll(async () => {
      port = await closedPort();
      t = await createTestApp('postgresql', { env: { RATE_LIMIT_PER_MINUTE: '2', REDIS_URL: `redis://127.0.0.1:${port}` } });
    });

    afterAll(() => t.close());

    it('lets requests through rather than failing the API', async () => {
      for (let i = 0; i < 4; i++) await request(t.server).get('/api/v1/symbols').expect(200);
    });
  });
});

/** The app's JSON request log lines (main.ts's format), collected in memory. */
class RequestLogs {
  private lines: string[] = [];

  /** For createTestApp's `customize`: the app's own logger params, writing here. */
  readonly capture = (builder: TestingModuleBuilder): TestingModuleBuilder => {
    const sink = new Writable({
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
    return builder
      .overrideProvider(PARAMS_PROVIDER_TOKEN)
      .useValue(logParams({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { isTTY: false, destination: sink }));
  };

  /** The client address and status logged when request `id` finished (lines are written asynchronously). */
  async completed(id: string): Promise<{ ip?: string; statusCode: number }> {
    for (let waited = 0; waited < 2000; waited += 20) {
      for (const line of this.lines) {
        const entry = JSON.parse(line) as { req?: { id: string; ip?: string }; res?: { statusCode: number } };
        if (entry.req?.id === id && entry.res) return { ip: entry.req.ip, statusCode: entry.res.statusCode };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no request log line for ${id} in:\n${this.lines.join('\n')}`);
  }
}

describe('client address behind a proxy (TRUST_PROXY)', () => {
  /** A read as nginx passes it on: X-Forwarded-For is whatever the client sent, then the address nginx saw. */
  const forwarded = (t: TestApp, forwardedFor: string, requestId: string) =>
    request(t.server).get('/api/v1/symbols').set('X-Forwarded-For', forwardedFor).set('X-Request-Id', requestId);

  describe('unset', () => {
    let t: TestApp;
    const logs = new RequestLogs();

    beforeAll(async () => {
      t = await createTestApp('postgresql', { env: { RATE_LIMIT_PER_MINUTE: '2' }, customize: logs.capture });
    });

    afterAll(() => t.close());

    it('ignores X-Forwarded-For: forged addresses share the socket address budget and the log names the socket', async () => {
      await forwarded(t, '203.0.113.1', 'unset-1').expect(200);
      await forwarded(t, '203.0.113.2', 'unset-2').expect(200);
      await forwarded(t, '203.0.113.3', 'unset-3').expect(429);
      expect((await logs.completed('unset-3')).ip).toMatch(/^(::ffff:127\.0\.0\.1|127\.0\.0\.1|::1)$/);
    });
  });

  describe.each(['loopback', '1'])('TRUST_PROXY=%s (the proxy is on loopback, one hop away)', (trustProxy) => {
    let t: TestApp;
    const logs = new RequestLogs();

    beforeAll(async () => {
      t = await createTestApp('postgresql', { env: { RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: trustProxy }, customize: logs.capture });
    });

    afterAll(() => t.close());

    it('counts and logs each client by the address the proxy saw, not the one the client claimed', async () => {
      // The first entry is the client's own claim, the last the proxy's: only the proxy is believed.
      await forwarded(t, '198.51.100.9, 203.0.113.1', 'trusted-1').expect(200);
      await forwarded(t, '198.51.100.8, 203.0.113.1', 'trusted-2').expect(200);
      await forwarded(t, '203.0.113.1', 'trusted-3').expect(429);
      const other = await forwarded(t, '198.51.100.9, 203.0.113.2', 'trusted-4').expect(200);
      expect(other.headers['ratelimit-remaining']).toBe('1');
      expect(await logs.completed('trusted-3')).toMatchObject({ ip: '203.0.113.1', statusCode: 429 });
      expect(await logs.completed('trusted-4')).toMatchObject({ ip: '203.0.113.2', statusCode: 200 });
    });
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
