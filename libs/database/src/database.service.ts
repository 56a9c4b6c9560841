import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, DataSourceOptions, MigrationExecutor, QueryResult, QueryRunner } from 'typeorm';
import { AppConfigService } from '@app/config';
import { EmbeddedPostgresEngine } from './engines/embedded-postgres.engine';
import { MIGRATION_LOCK, advisoryLockKey } from './advisory-lock';
import { TimescaleDecision, decideTimescale, probeTimescale } from './timescale-support';
import { DatabaseMetrics } from './database.metrics';
import { SlowQueryPlans } from './slow-query-plans';
import { DATABASE_TARGET, type DatabaseStatus, type DatabaseTarget, DatabaseUnavailableError, type Engine } from './database-target';
import { type DatabaseRole, type RoleProbe, probeReplayLag, probeRole } from './database-role';
import { MIGRATION_POLL_MS, appliedMigrationCount } from './primary-migrations';
import { poolOptions } from './pool-options';
import { ReadReplicas } from './read-replicas';
import { withTimeout } from './with-timeout';
import { messageOf, redactCredentials, sleep } from '@app/core';

export const DATABASE_ENTITIES = Symbol('DATABASE_ENTITIES');
export const DATABASE_MIGRATIONS = Symbol('DATABASE_MIGRATIONS');

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
const HEALTH_QUERY_TIMEOUT_MS = 2_000;

/** Set inside primaryReads(): readQuery then answers from the primary. */
const readingFromPrimary = new AsyncLocalStorage<true>();

/** Names runExclusive holds in this process, for the single-session engine. */
const heldInProcess = new Set<string>();

/**
 * Owns the TypeORM DataSource of DATABASE_URL (the primary). Connecting happens in the background
 * with backoff, so the HTTP server (and /health, answering 503) is up while the database is not.
 * Migrations run under a Postgres advisory lock, so instances starting together queue.
 * query/execute/withClient/locks always use the primary; readQuery goes to a healthy read replica
 * (DATABASE_REPLICA_URLS) when there is one. A read-only DATABASE_URL (hot standby) is recognised:
 * nothing is migrated (the instance waits for the primary to have done it) and isReadOnly is true.
 */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);
  private source?: DataSource;
  private embedded?: EmbeddedPostgresEngine;
  private engine?: Engine;
  /** Why TimescaleDB is not used (and how to fix it), when it is not. */
  private timescaleNote?: { reason: string; fix?: string };
  private serverVersion?: string;
  private serverVersionNum = 0;
  private migrationCounts = { applied: 0, pending: 0 };
  private lastError?: string;
  /** What the database lets this instance do, as last probed. */
  private roleProbe?: RoleProbe;
  private stopping = false;
  private readonly readyPromise: Promise<void>;
  private resolveReady!: () => void;

  constructor(
    @Inject(DATABASE_TARGET) private readonly target: DatabaseTarget,
    @Inject(DATABASE_ENTITIES) private readonly entities: DataSourceOptions['entities'],
    @Inject(DATABASE_MIGRATIONS) private readonly migrations: DataSourceOptions['migrations'],
    private readonly metrics: DatabaseMetrics,
    private readonly slowQueryPlans: SlowQueryPlans,
    private readonly replicas: ReadReplicas,
    @Optional() private readonly config?: AppConfigService,
  ) {
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
    metrics.watchPool(() => this.poolCounts());
  }

  onModuleInit(): void {
    void this.connectWithRetry();
  }

  /** Resolves once connected and migrated. */
  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  get isReady(): boolean {
    return this.source?.isInitialized === true && this.engine !== undefined;
  }

  get dataSource(): DataSource {
    if (!this.source || !this.isReady) throw new DatabaseUnavailableError(this.lastError);
    return this.source;
  }

  /** The database is the embedded PostgreSQL under DATA_DIR (no DATABASE_URL). */
  get isEmbedded(): boolean {
    return this.target.kind === 'embedded';
  }

  get hasTimescale(): boolean {
    return this.engine === 'timescaledb';
  }

  /**
   * `replica` when DATABASE_URL refuses writes (a hot standby, or default_transaction_read_only):
   * writes are refused with 503 and schedulers that write stay off. `primary` until connected.
   */
  get role(): DatabaseRole {
    return this.roleProbe?.role ?? 'primary';
  }

  /** True while this instance's only database refuses writes. */
  get isReadOnly(): boolean {
    return this.role === 'replica';
  }

  /**
   * Connected, migrated, and the database takes writes: what a scheduler that writes checks before
   * its round. On a read-only replica the primary's instances do that work, and it arrives by replication.
   */
  get isWritable(): boolean {
    return this.isReady && !this.isReadOnly;
  }

  /** Why the database refuses writes, when it does. */
  get readOnlyReason(): string | undefined {
    return this.roleProbe?.readOnlyReason;
  }

  /** Runs one statement and returns its rows (RETURNING rows too, whatever the statement). */
  async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return (await this.run(sql, parameters)).records as T[];
  }

  /**
   * A read that tolerates a replica's lag (up to REPLICA_MAX_LAG_SECONDS): on a healthy read
   * replica when there is one, else on the primary. A replica that fails the read (unreachable,
   * a recovery conflict) is skipped and the primary answers, so the caller sees no error. Reads
   * that must see this instance's own writes (read-your-writes) use query(), or run inside primaryReads().
   */
  async readQuery<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const replica = readingFromPrimary.getStore() ? undefined : this.replicas.pick();
    if (replica) {
      try {
        const rows = (await this.run(sql, parameters, replica.dataSource)).records as T[];
        this.replicas.served('replica');
        return rows;
      } catch (error) {
        if (!this.replicas.failed(replica, error)) throw error;
      }
    }
    const rows = await this.query<T>(sql, parameters);
    this.replicas.served('primary');
    return rows;
  }

  /** Runs one statement and returns how many rows it inserted, changed or deleted. */
  async execute(sql: string, parameters: unknown[] = []): Promise<number> {
    return (await this.run(sql, parameters)).affected ?? 0;
  }

  /**
   * Read-your-writes after a client's write through this instance: reads go to the primary until
   * a replica has replayed what the primary holds now (about a probe interval). Never throws: a
   * primary that cannot tell its position (down, or read-only) has nothing new to wait for.
   */
  async fenceReads(): Promise<void> {
    if (!this.replicas.configured || this.isReadOnly || !this.isReady) return;
    try {
      const [row] = await this.source!.query<{ lsn: string }[]>('SELECT pg_current_wal_lsn()::text AS lsn');
      this.replicas.fenceAt(row.lsn);
    } catch {
      // The write failed with the database, most likely; the next probe judges the replicas anyway.
    }
  }

  /**
   * Runs `work` with every readQuery inside it (awaited or not) answered by the primary: for work
   * that reads what was just written (a job acting on a write event, a check right after a write),
   * which a replica may not have replayed yet.
   */
  primaryReads<T>(work: () => Promise<T>): Promise<T> {
    return readingFromPrimary.run(true, work);
  }

  /** One timed statement on a pooled connection of `source`, as TypeORM's structured result (records and affected). */
  private async run(sql: string, parameters: unknown[], source = this.dataSource): Promise<QueryResult> {
    const runner = source.createQueryRunner();
    try {
      return await this.metrics.timed(sql, () => runner.query(sql, parameters, true), this.explainIfSlow(sql, parameters, source));
    } finally {
      await runner.release();
    }
  }

  /**
   * Hands a statement's duration to the slow-query plans. Their EXPLAIN takes a connection of its
   * own from the pool and nobody awaits it, so it never delays or fails the statement; on the
   * single-session engine it waits until the statement's connection is released.
   */
  private explainIfSlow(sql: string, parameters: unknown[], source: DataSource): (ms: number) => void {
    return (ms) => this.slowQueryPlans.observe(sql, ms, (explainSql) => source.query(explainSql, parameters));
  }

  /** pg.Pool's counters; undefined before connecting and on engines without a pool. */
  private poolCounts(): { total: number; idle: number; waiting: number } | undefined {
    const pool = (this.source?.isInitialized ? (this.source.driver as { master?: unknown }).master : undefined) as
      { totalCount?: unknown; idleCount?: unknown; waitingCount?: unknown } | undefined;
    if (typeof pool?.totalCount !== 'number' || typeof pool.idleCount !== 'number' || typeof pool.waitingCount !== 'number')
      return undefined;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }

  /** COPY needs a real PostgreSQL connection; the in-process test engine has none. */
  get supportsCopy(): boolean {
    return this.target.kind !== 'driver';
  }

  /** MERGE arrived in PostgreSQL 15; TimescaleDB refuses MERGE ... UPDATE on compressed hypertables. */
  get supportsMerge(): boolean {
    return this.serverVersionNum >= 150000 && !this.hasTimescale;
  }

  /** Runs `work` on the raw pg client of one pooled connection (COPY, multi-statement work). */
  async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work((await runner.connect()) as PoolClient);
    } finally {
      await runner.release();
    }
  }

  /** Live status for /health: runs a short query so a database that died is noticed. */
  async status(): Promise<DatabaseStatus> {
    const base = {
      embedded: this.isEmbedded,
      timescaledb: this.engine === 'timescaledb',
      timescaledbReason: this.timescaleNote?.reason,
      timescaledbFix: this.timescaleNote?.fix,
      engine: this.engine,
      serverVersion: this.serverVersion,
      migrations: { ...this.migrationCounts },
      role: this.role,
      readOnlyReason: this.readOnlyReason,
      replicas: this.replicas.status(),
    };
    if (!this.isReady) return { ...base, connected: false, error: this.lastError ?? 'connecting' };
    try {
      const source = this.source!;
      if (this.isReadOnly) {
        const lag = await withTimeout(
          probeReplayLag((sql, parameters) => source.query(sql, parameters), undefined),
          HEALTH_QUERY_TIMEOUT_MS,
        );
        return { ...base, connected: true, ...(lag.standby ? { replayLagSeconds: lag.lagSeconds } : {}) };
      }
      await withTimeout(source.query('SELECT 1'), HEALTH_QUERY_TIMEOUT_MS);
      return { ...base, connected: true };
    } catch (error) {
      return { ...base, connected: false, error: redactCredentials(messageOf(error)) };
    }
  }

  /**
   * Runs `work` while holding a session advisory lock, on one dedicated connection.
   * Returns undefined without running when `wait` is false and another session holds it.
   * Work under a lock is a writer's (a job, an evaluation): its readQuery calls read the primary.
   */
  async withAdvisoryLock<T>(name: string, work: (runner: QueryRunner) => Promise<T>, wait = true): Promise<T | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = advisoryLockKey(name);
    try {
      if (wait) await runner.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      else {
        const [row] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key])) as { locked: boolean }[];
        if (!row.locked) return undefined;
      }
      try {
        return await this.primaryReads(() => work(runner));
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs `work` unless another instance (or this one) is running work of the same name:
   * a session advisory lock held for the run, so a killed instance's lock dies with its
   * connection. The in-process test engine (PGlite, the only one without COPY) has a single
   * session that a held connection would block, and no other process can reach it: there a
   * process-wide set of names does the same job. Undefined when it did not run. As under
   * withAdvisoryLock, its readQuery calls read the primary: a job acts on what was written.
   */
  async runExclusive<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    if (this.supportsCopy) return this.withAdvisoryLock(name, () => work(), false);
    if (heldInProcess.has(name)) return undefined;
    heldInProcess.add(name);
    try {
      return await this.primaryReads(work);
    } finally {
      heldInProcess.delete(name);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.replicas.close();
    if (this.source?.isInitialized) await this.source.destroy().catch(() => undefined);
    if (this.embedded) {
      this.logger.log('stopping embedded PostgreSQL');
      await this.embedded.stop();
    }
  }

  private async connectWithRetry(): Promise<void> {
    let delay = FIRST_RETRY_MS;
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.connect();
        this.lastError = undefined;
        this.logger.log(`database ready: ${this.engine} ${this.serverVersion ?? ''} (migrations applied: ${this.migrationCounts.applied})`);
        // Once per process: TimescaleDB is on the server but cannot be used as it is set up.
        if (this.timescaleNote?.fix) {
          this.logger.warn(
            `TimescaleDB not used: ${this.timescaleNote.reason}; running as plain PostgreSQL. To use it: ${this.timescaleNote.fix}`,
          );
        }
        this.resolveReady();
        this.watchReplication();
        return;
      } catch (error) {
        if (this.stopping) return;
        this.lastError = redactCredentials(messageOf(error));
        await this.source?.destroy().catch(() => undefined);
        this.source = undefined;
        this.logger.error(`database not available (attempt ${attempt}): ${this.lastError}; retrying in ${delay} ms`);
        await sleep(delay * (0.8 + Math.random() * 0.4));
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }

  private async connect(): Promise<void> {
    const source = new DataSource(await this.dataSourceOptions());
    await source.initialize();
    this.source = source;
    // The in-process engine has one session and no replication: always a primary.
    if (this.target.kind !== 'driver') this.noteRole(await probeRole((sql) => source.query(sql)));
    if (this.isReadOnly) await this.awaitPrimaryMigrations(source);
    else await this.migrate(source);
    const timescale = await probeTimescale((sql) => source.query(sql));
    const [version] = await source.query<{ version: string; num: number }[]>(
      `SELECT current_setting('server_version') AS version, current_setting('server_version_num')::int AS num`,
    );
    this.serverVersion = version.version;
    this.serverVersionNum = version.num;
    this.engine = timescale.installed ? 'timescaledb' : 'postgresql';
    this.timescaleNote = timescale.installed ? undefined : whyNotTimescale(decideTimescale(timescale));
  }

  private async dataSourceOptions(): Promise<DataSourceOptions> {
    const common = { ...poolOptions(this.config, 'market-data-api'), entities: this.entities, migrations: this.migrations };
    switch (this.target.kind) {
      case 'url':
        return { ...common, url: this.target.url };
      case 'driver':
        return { ...common, driver: this.target.driver, database: this.target.label };
      case 'embedded': {
        if (!this.embedded) {
          this.embedded = new EmbeddedPostgresEngine({
            dataDir: this.target.dataDir,
            log: (message) => this.logger.log(message),
          });
        }
        const serverUrl = await this.embedded.start();
        return { ...common, url: await EmbeddedPostgresEngine.ensureDatabase(serverUrl, 'market_data') };
      }
    }
  }

  /**
   * A read-only database cannot be migrated: wait, polling its migrations table, until the primary
   * has applied every migration this build knows (they arrive by replication), then serve.
   */
  private async awaitPrimaryMigrations(source: DataSource): Promise<void> {
    for (let logged = false; ; logged = true) {
      this.migrationCounts = await appliedMigrationCount(source);
      if (this.migrationCounts.pending === 0) return;
      this.lastError =
        `the database is read-only (${this.readOnlyReason}): waiting for the primary to apply ` +
        `${this.migrationCounts.pending} of ${this.migrationCounts.pending + this.migrationCounts.applied} migrations`;
      if (!logged) this.logger.warn(`${this.lastError}; start an instance on the primary (or upgrade it) to apply them`);
      if (this.stopping) throw new Error('stopping');
      await sleep(MIGRATION_POLL_MS);
    }
  }

  /**
   * Once ready: probe the replicas (and the primary's role, so a promotion or a fail-over is
   * noticed) every second, when there are replicas or the database is read-only.
   */
  private watchReplication(): void {
    if (this.target.kind === 'driver') {
      if (this.replicas.configured) this.logger.warn('DATABASE_REPLICA_URLS is ignored on the in-process engine: reads use it alone');
      return;
    }
    if (!this.replicas.configured && !this.isReadOnly) return;
    this.replicas.watch(async () => {
      const source = this.source;
      if (!source?.isInitialized) return undefined;
      const probe = await withTimeout(
        probeRole((sql) => source.query(sql)),
        HEALTH_QUERY_TIMEOUT_MS,
      );
      this.noteRole(probe);
      return probe.walLsn;
    });
  }

  /** Keeps the role, and says so when it changes (at start only when read-only). */
  private noteRole(probe: RoleProbe): void {
    const was = this.roleProbe?.role;
    this.roleProbe = probe;
    if (probe.role === was || (was === undefined && probe.role === 'primary')) return;
    if (probe.role === 'replica') {
      this.logger.warn(
        `the database is read-only (${probe.readOnlyReason}): this instance serves reads only; write routes answer 503 and the schedulers that write stay off`,
      );
    } else {
      this.logger.log('the database accepts writes now (promoted): write routes and schedulers work again');
    }
  }

  /** Applies pending migrations on one connection that holds the migration lock. */
  private async migrate(source: DataSource): Promise<void> {
    const runner = source.createQueryRunner();
    await runner.connect();
    const key = advisoryLockKey(MIGRATION_LOCK);
    try {
      await runner.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      const executor = new MigrationExecutor(source, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      if (applied.length) this.logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
      const executed = await executor.getExecutedMigrations();
      this.migrationCounts = { applied: executed.length, pending: source.migrations.length - executed.length };
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
      await runner.release();
    }
  }
}

function whyNotTimescale(decision: TimescaleDecision): { reason: string; fix?: string } {
  if (!decision.use && decision.reason) return { reason: decision.reason, fix: decision.fix };
  // Loadable now, yet not created here: it was not loadable when market_data was created, or CREATE EXTENSION was refused.
  return {
    reason: 'the timescaledb extension can be loaded but is not created in this database, whose tables were set up for plain PostgreSQL',
  };
}
