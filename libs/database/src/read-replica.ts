import { DataSource, type DataSourceOptions } from 'typeorm';
import { messageOf, redactCredentials } from '@app/core';
import { DatabaseUnavailableError } from './database-target';
import { lsnValue, probeReplayLag } from './database-role';
import { withTimeout } from './with-timeout';

/**
 * connecting: not probed yet; healthy: serves reads; lagging: its replay is behind by more than
 * REPLICA_MAX_LAG_SECONDS (or by an unknown amount); down: it does not answer.
 */
export type ReplicaState = 'connecting' | 'healthy' | 'lagging' | 'down';

/** One replica as /health shows it. */
export interface ReplicaStatus {
  /** Host, port and database of the URL, never its credentials. */
  name: string;
  state: ReplicaState;
  /** Replay lag at the last probe, in seconds; null when unknown. */
  lagSeconds: number | null;
  /** Why it is down, without credentials. */
  error?: string;
}

const PROBE_TIMEOUT_MS = 2_000;

/** One streaming replica of DATABASE_URL: its own connection pool, and its health as last probed. */
export class ReadReplica {
  readonly name: string;
  private source?: DataSource;
  private connecting?: Promise<DataSource>;
  private current: ReplicaState = 'connecting';
  private lag: number | null = null;
  private lastError?: string;
  /** The WAL position it had replayed at the last probe. */
  private replayed?: bigint;
  /** pg_is_in_recovery() at the last probe: false means the URL is not a standby at all. */
  standby = true;

  constructor(
    /** Its position in DATABASE_REPLICA_URLS, from 1: the `replica` label of its metrics. */
    readonly number: number,
    private readonly options: DataSourceOptions & { url: string },
  ) {
    const url = new URL(options.url);
    this.name = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  }

  get state(): ReplicaState {
    return this.current;
  }

  get status(): ReplicaStatus {
    return { name: this.name, state: this.current, lagSeconds: this.lag, ...(this.lastError ? { error: this.lastError } : {}) };
  }

  /** Healthy at the last probe, and not failed since. */
  get usable(): boolean {
    return this.current === 'healthy' && this.source?.isInitialized === true;
  }

  /** Had replayed the WAL position `lsn` (a write of this instance) by its last probe; a replica that is not a standby has. */
  hasReplayed(lsn: bigint): boolean {
    return !this.standby || (this.replayed !== undefined && this.replayed >= lsn);
  }

  get dataSource(): DataSource {
    if (!this.source?.isInitialized) throw new DatabaseUnavailableError(`replica ${this.name} is not connected`);
    return this.source;
  }

  /** Connects when not connected, then measures the replay lag against the primary's position. */
  async probe(primaryLsn: string | undefined, maxLagSeconds: number): Promise<void> {
    try {
      const source = await withTimeout(this.connect(), PROBE_TIMEOUT_MS);
      const lag = await withTimeout(
        probeReplayLag((sql, parameters) => source.query(sql, parameters), primaryLsn),
        PROBE_TIMEOUT_MS,
      );
      this.standby = lag.standby;
      this.lag = lag.lagSeconds;
      this.replayed = lag.replayedLsn === undefined ? undefined : lsnValue(lag.replayedLsn);
      this.lastError = undefined;
      this.current = lag.lagSeconds !== null && lag.lagSeconds <= maxLagSeconds ? 'healthy' : 'lagging';
    } catch (error) {
      this.markDown(error);
    }
  }

  /** Out of use until a probe succeeds (a read failed on it, or a probe did). */
  markDown(error: unknown): void {
    this.current = 'down';
    this.lastError = redactCredentials(messageOf(error));
  }

  async close(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    if (this.source?.isInitialized) await this.source.destroy().catch(() => undefined);
    this.source = undefined;
  }

  private connect(): Promise<DataSource> {
    if (this.source?.isInitialized) return Promise.resolve(this.source);
    this.connecting ??= (async () => {
      const source = new DataSource(this.options);
      try {
        await source.initialize();
        this.source = source;
        return source;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }
}
