/**
 * Time from launch to the first /health 200: `npm start` (nest start: SWC compile + boot)
 * and the compiled app (`node dist/...`), each on a fresh data directory (initdb) and on
 * an existing one. Reference: the bare embedded PostgreSQL start in the same run.
 *   npm run build && npm run bench -- bench/startup.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EmbeddedPostgresEngine } from '@app/database';
import { elapsedMs } from './support/bench-database';

const ROOT = resolve(__dirname, '..');

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

async function timeToHealthy(command: string, args: string[], dataDir: string): Promise<number> {
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return elapsedMs(started);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const rows: [string, number][] = [];
  const dir = (): string => mkdtempSync(join(tmpdir(), 'market-data-startup-'));

  const pgDir = dir();
  let started = process.hrtime.bigint();
  const engine = new EmbeddedPostgresEngine({ dataDir: pgDir });
  await engine.start();
  rows.push(['embedded PostgreSQL alone, fresh (initdb + start)', elapsedMs(started)]);
  await engine.stop();
  started = process.hrtime.bigint();
  await engine.start();
  rows.push(['embedded PostgreSQL alone, existing', elapsedMs(started)]);
  await engine.stop();
  rmSync(pgDir, { recursive: true, force: true });

  for (const [label, command, args] of [
    ['npm start', 'npm', ['start']],
    ['node dist (compiled)', process.execPath, ['dist/apps/api/src/main.js']],
  ] as [string, string, string[]][]) {
    const dataDir = dir();
    rows.push([`${label}, fresh data directory`, await timeToHealthy(command, args, dataDir)]);
    rows.push([`${label}, existing data directory`, await timeToHealthy(command, args, dataDir)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const [label, ms] of rows) console.log(`${label.padEnd(52)} ${(ms / 1000).toFixed(2)} s`);
  console.log('targets: npm start to /health 200 under 5 s fresh, under 3 s existing');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
