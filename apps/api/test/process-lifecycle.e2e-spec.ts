import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const MAIN = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'];

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the real main.ts as its own process, with only the settings given. */
function startService(env: Record<string, string>): Running {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, MAIN, { cwd: ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

async function waitForHealthy(port: number, running: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`service exited early:\n${running.output()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`service not healthy in time:\n${running.output()}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

describe('the service as a process', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'market-data-lifecycle-'));
  });

  afterAll(() => {
    if (existsSync(join(dataDir, 'postgres', 'postmaster.pid'))) {
      const pid = postmasterPid(dataDir);
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits non-zero on bad configuration, with one line per problem naming the variable', async () => {
    const running = startService({ ALLOWED_TIMEFRAMES: '1m,2h', DEFAULT_TIMEFRAMES: '1h,1d', PORT: 'http', DATA_DIR: dataDir });
    const { code } = await running.exited;
    expect(code).toBe(1);
    expect(running.output()).toContain('Invalid configuration:');
    expect(running.output()).toContain('  - PORT must be an integer from 0 to 65535, got "http"');
    expect(running.output()).toContain('  - ALLOWED_TIMEFRAMES has unsupported timeframe(s) 2h; allowed: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w');
    expect(running.output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('starts on the embedded database, and on SIGTERM stops cleanly together with it', async () => {
    const port = await freePort();
    const running = startService({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    await waitForHealthy(port, running);
    const pid = postmasterPid(dataDir);
    expect(isAlive(pid)).toBe(true);
    running.child.kill('SIGTERM');
    const { code, signal } = await running.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(isAlive(pid)).toBe(false);
    expect(running.output()).toContain('stopping embedded PostgreSQL');
  });

  it('recovers after the process is killed with -9: the orphaned database is stopped and restarted', async () => {
    const port = await freePort();
    const first = startService({ PORT: String(port), DATA_DIR: dataDir });
    await waitForHealthy(port, first);
    const orphan = postmasterPid(dataDir);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(orphan)).toBe(true); // the database outlived its parent

    const second = startService({ PORT: String(port), DATA_DIR: dataDir });
    try {
      await waitForHealthy(port, second);
      expect(isAlive(orphan)).toBe(false);
      expect(second.output()).toContain(`stopping orphaned embedded PostgreSQL (pid ${orphan})`);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
