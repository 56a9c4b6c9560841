import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { FakePolygonServer, type WireBar } from '@app/polygon/testing';
import { TestDatabase, openTestDatabase } from '@app/testing';
import { aggregatesRequests } from './backfill-support';

const ROOT = resolve(__dirname, '../../..');
const CLI = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'backfill'];
const SYMBOLS = ['AAPL', 'MSFT'];
const FROM = Date.parse('2023-08-01T00:00:00Z');
const TO = Date.parse('2024-01-02T00:00:00Z');
const FIVE_MINUTES = 5 * 60_000;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The backfill CLI as its own process: 5m bars of two symbols over five months, six provider windows. */
function startCli(env: Record<string, string>): Run {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const args = [...CLI, ...SYMBOLS, '--timeframe', '5m', '--from', String(FROM), '--to', String(TO)];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

/** What the provider serves for 5m, from the fake's minutes (OHLCV; VWAP left out). */
function expectedFiveMinuteBars(fake: FakePolygonServer, symbol: string): [number, number, number, number, number, number][] {
  const buckets = new Map<number, WireBar[]>();
  for (const bar of fake.market.minuteBars(symbol, FROM, TO, true)) {
    const start = Math.floor(bar.t / FIVE_MINUTES) * FIVE_MINUTES;
    const list = buckets.get(start) ?? [];
    list.push(bar);
    buckets.set(start, list);
  }
  return [...buckets.entries()].map(([t, bars]) => [
    t,
    bars[0].o,
    Math.max(...bars.map((b) => b.h)),
    Math.min(...bars.map((b) => b.l)),
    bars[bars.length - 1].c,
    bars.reduce((sum, b) => sum + b.v, 0),
  ]);
}

describe('a backfill killed with -9', () => {
  let fake: FakePolygonServer;
  let testDatabase: TestDatabase;
  let db: Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    testDatabase = await openTestDatabase('postgresql');
    if (testDatabase.target.kind !== 'url') throw new Error('expected a URL target');
    env = {
      DATABASE_URL: testDatabase.target.url,
      POLYGON_API_KEY: 'test-key',
      POLYGON_BASE_URL: fake.url,
      POLYGON_RATE_LIMIT_PER_MINUTE: '60',
      BACKFILL_CONCURRENCY: '2',
      LOG_LEVEL: 'warn',
    };
    db = new Client({ connectionString: testDatabase.target.url });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await testDatabase.dispose();
    await fake.stop();
  });

  it('resumes where it stopped after a restart: covered windows are never fetched again, and the table is complete', async () => {
    const first = startCli(env);
    // Kill once a few windows are in, wherever the rest are.
    for (;;) {
      if (first.child.exitCode !== null) throw new Error(`the CLI ended before it could be killed:\n${first.output()}`);
      const rows = await db
        .query<{ requests: string }>('SELECT coalesce(sum(requests), 0) AS requests FROM backfill_checkpoints')
        .catch(() => ({ rows: [{ requests: '0' }] }));
      if (Number(rows.rows[0].requests) >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const requestsBeforeRestart = fake.requestCount;
    const { rows: coveredAtKill } = await db.query<{ symbol: string; start: number; end: number }>(
      `SELECT symbol, (extract(epoch FROM lower(r)) * 1000)::float8 AS start, (extract(epoch FROM upper(r)) * 1000)::float8 AS end
       FROM backfill_checkpoints, unnest(covered) AS r`,
    );
    expect(coveredAtKill.length).toBeGreaterThan(0);

    const second = startCli(env);
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('2 of 2 job(s) done');

    // Nothing the checkpoint held at the kill was asked again.
    const afterRestart = aggregatesRequests(fake, requestsBeforeRestart);
    expect(afterRestart.length).toBeGreaterThan(0);
    for (const request of afterRestart) {
      const inCovered = coveredAtKill.some((c) => c.symbol === request.ticker && c.start <= request.from && request.to < c.end);
      expect({ request, inCovered }).toEqual({ request, inCovered: false });
    }
    // Fetched twice at most: the windows in flight at the kill (one per running job).
    const keys = aggregatesRequests(fake).map((r) => `${r.ticker} ${r.from} ${r.to}`);
    expect(keys.length - new Set(keys).size).toBeLessThanOrEqual(2);

    for (const symbol of SYMBOLS) {
      const { rows } = await db.query<{ t: number; open: number; high: number; low: number; close: number; volume: number }>(
        `SELECT (extract(epoch FROM time) * 1000)::float8 AS t, open, high, low, close, volume FROM market_data
         WHERE symbol = $1 AND timeframe = '5m' ORDER BY time`,
        [symbol],
      );
      expect(rows.map((r) => [r.t, r.open, r.high, r.low, r.close, r.volume])).toEqual(expectedFiveMinuteBars(fake, symbol));
    }
    const { rows: jobs } = await db.query<{ state: string }>('SELECT state FROM backfill_checkpoints');
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);
  }, 90_000); // two process starts (ts-node) on a shared machine
});
