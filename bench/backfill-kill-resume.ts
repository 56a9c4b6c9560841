/**
 * The backfill of bench/backfill-rate.ts (10 symbols x 30 days of 1m, 60 requests/min),
 * once uninterrupted in-process, once through the CLI process killed with SIGKILL at five
 * random moments and restarted each time. The two tables must be equal row for row; the
 * requests fetched twice are the windows in flight at each kill.
 *
 *   npm run bench -- bench/backfill-kill-resume.ts [--seed 7]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { FakePolygonServer } from '@app/polygon/testing';
import { startBenchDatabase } from './support/bench-database';
import {
  BENCH_FROM,
  BENCH_RATE_PER_MINUTE,
  BENCH_SYMBOLS,
  BENCH_TO,
  backfillContext,
  benchEnv,
  siblingDatabase,
  tableDigest,
} from './backfill-common';

const ROOT = resolve(__dirname, '..');
const CLI = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'backfill'];
const KILLS = 5;
/** Each kill comes at a random moment within this long after the process's first request. */
const KILL_WITHIN_MS = 3_000;

function startCli(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const args = [...CLI, ...BENCH_SYMBOLS, '--timeframe', '1m', '--from', String(BENCH_FROM), '--to', String(BENCH_TO)];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, exited: new Promise((done) => child.on('exit', (code) => done(code))), output: () => output };
}

/** mulberry32: the same seed, the same kill moments. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const seedAt = process.argv.indexOf('--seed');
  const seed = seedAt > 0 ? Number(process.argv[seedAt + 1]) : Date.now() % 100_000;
  const random = seededRandom(seed);
  const bench = await startBenchDatabase('postgresql');
  try {
    // Reference: one uninterrupted run.
    const referenceFake = await FakePolygonServer.start({ rateLimit: { requests: BENCH_RATE_PER_MINUTE, windowMs: 60_000 } });
    const context = await backfillContext(benchEnv(bench.url, referenceFake.url));
    await context.service.run({ symbols: BENCH_SYMBOLS, timeframes: ['1m'], from: BENCH_FROM, to: BENCH_TO });
    await context.close();
    const reference = await tableDigest(bench.url);
    const referenceRequests = referenceFake.requestCount;
    await referenceFake.stop();

    // The same backfill through the CLI, killed at random moments.
    const fake = await FakePolygonServer.start({ rateLimit: { requests: BENCH_RATE_PER_MINUTE, windowMs: 60_000 } });
    const killedUrl = await siblingDatabase(bench.url, 'bench_killed');
    const env = benchEnv(killedUrl, fake.url) as Record<string, string>;
    const moments: string[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      const run = startCli(env);
      const before = fake.requestCount;
      while (fake.requestCount === before && run.child.exitCode === null) await sleep(10);
      if (run.child.exitCode !== null) throw new Error(`run ${kill} ended before it sent a request:\n${run.output()}`);
      const delay = Math.round(random() * KILL_WITHIN_MS);
      await sleep(delay);
      if (run.child.exitCode !== null) throw new Error(`run ${kill} finished before its kill; lower KILL_WITHIN_MS`);
      run.child.kill('SIGKILL');
      await run.exited;
      moments.push(`${delay} ms after its first request (${fake.requestCount} requests so far)`);
    }
    const last = startCli(env);
    const code = await last.exited;
    if (code !== 0) throw new Error(`the final run failed (${code}):\n${last.output()}`);
    const killed = await tableDigest(killedUrl);

    const keys = fake.requests.map((r) => r.path);
    console.log(
      `backfill killed with -9: ${BENCH_SYMBOLS.length} symbols x 30 days of 1m, ${BENCH_RATE_PER_MINUTE} requests/min (seed ${seed})`,
    );
    moments.forEach((moment, i) => console.log(`  kill ${i + 1}           ${moment}`));
    console.log(`  uninterrupted    ${reference.rows} rows, md5 ${reference.md5}, ${referenceRequests} requests`);
    console.log(`  killed 5 times   ${killed.rows} rows, md5 ${killed.md5}, ${fake.requestCount} requests (429: ${fake.countStatus(429)})`);
    console.log(`  fetched twice    ${keys.length - new Set(keys).size} window(s): those in flight at the kills`);
    console.log(`  tables           ${reference.md5 === killed.md5 && reference.rows === killed.rows ? 'EQUAL row for row' : 'DIFFERENT'}`);
    await fake.stop();
    if (reference.md5 !== killed.md5) process.exitCode = 1;
  } finally {
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
