import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { AppConfigService } from '@app/config';
import { METRICS_REGISTRY } from '@app/metrics';
import { lsnValue } from './database-role';
import { poolOptions } from './pool-options';
import { ReadReplica, type ReplicaState, type ReplicaStatus } from './read-replica';
import { replicaFaultOf } from './replica-faults';
import { ReplicaMetrics } from './replica.metrics';

/** How often each replica's reachability and replay lag are measured: how soon it leaves, and rejoins. */
const REPLICA_PROBE_INTERVAL_MS = 1_000;

/**
 * The replicas of DATABASE_REPLICA_URLS, each with a pool of its own. Every second, the primary's
 * WAL position is read and each replica's replay is compared with it; reads go round-robin to the
 * replicas that answered within REPLICA_MAX_LAG_SECONDS. A replica down or behind is skipped until
 * a later probe finds it well again, so it rejoins by itself. Knows nothing of the primary's pool:
 * DatabaseService asks it which replica to use and answers from the primary when there is none.
 */
@Injectable()
export class ReadReplicas {
  private readonly logger = new Logger(ReadReplicas.name);
  private readonly replicas: ReadReplica[];
  private readonly maxLagSeconds: number;
  private readonly metrics: ReplicaMetrics;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private turn = 0;
  /** The primary's WAL position after this instance's latest client write: replicas not there yet are skipped. */
  private fence = 0n;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Optional() config?: AppConfigService) {
    this.maxLagSeconds = config?.get('REPLICA_MAX_LAG_SECONDS') ?? 30;
    this.replicas = (config?.get('DATABASE_REPLICA_URLS') ?? []).map(
      (url, i) => new ReadReplica(i + 1, { ...poolOptions(config, 'market-data-api (reads)'), url }),
    );
    this.metrics = new ReplicaMetrics(registry, this.replicas);
  }

  get configured(): boolean {
    return this.replicas.length > 0;
  }

  /**
   * Probes now and then every REPLICA_PROBE_INTERVAL_MS until close(). `primaryPosition` reads the
   * primary's WAL position (undefined when it cannot: the replicas are then judged by what they received).
   */
  watch(primaryPosition: () => Promise<string | undefined>): void {
    if (this.timer || this.stopped) return;
    const round = async (): Promise<void> => {
      const lsn = await primaryPosition().catch(() => undefined);
      await Promise.all(this.replicas.map((replica) => this.probe(replica, lsn)));
      if (!this.stopped) this.timer = setTimeout(() => void round(), REPLICA_PROBE_INTERVAL_MS).unref();
    };
    this.timer = setTimeout(() => void round(), 0).unref();
  }

  /**
   * Read-your-writes for this instance's clients: from now on, a replica is used only once a probe
   * finds it has replayed `lsn` (the primary's WAL position just after a client's write).
   */
  fenceAt(lsn: string): void {
    const value = lsnValue(lsn);
    if (value > this.fence) this.fence = value;
  }

  /** The next replica to read from, round-robin among the usable ones; undefined: read from the primary. */
  pick(): ReadReplica | undefined {
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.turn + i) % this.replicas.length];
      if (replica.usable && replica.hasReplayed(this.fence)) {
        this.turn = (this.turn + i + 1) % this.replicas.length;
        return replica;
      }
    }
    return undefined;
  }

  /** A read on `replica` failed: true when the primary should answer it instead (the replica's fault, not the statement's). */
  failed(replica: ReadReplica, error: unknown): boolean {
    const fault = replicaFaultOf(error);
    if (!fault) return false;
    this.metrics.fellBack(fault);
    if (fault === 'unreachable') {
      const was = replica.state;
      replica.markDown(error);
      this.logChange(replica, was);
    }
    return true;
  }

  served(by: 'replica' | 'primary'): void {
    this.metrics.served(by);
  }

  status(): ReplicaStatus[] {
    return this.replicas.map((replica) => replica.status);
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all(this.replicas.map((replica) => replica.close()));
  }

  private async probe(replica: ReadReplica, primaryLsn: string | undefined): Promise<void> {
    const was = replica.state;
    const wasStandby = replica.standby;
    await replica.probe(primaryLsn, this.maxLagSeconds);
    if (wasStandby && !replica.standby)
      this.logger.warn(`replica ${replica.number} (${replica.name}) is not a standby (pg_is_in_recovery() is false); reads still go to it`);
    this.logChange(replica, was);
  }

  /** One line per change of state, so an operator sees a replica leave and come back. */
  private logChange(replica: ReadReplica, was: ReplicaState): void {
    const now = replica.state;
    if (now === was) return;
    const status = replica.status;
    const about = `replica ${replica.number} (${replica.name})`;
    if (now === 'healthy') {
      this.logger.log(`${about} serves reads${was === 'connecting' ? '' : ' again'} (replay lag ${(status.lagSeconds ?? 0).toFixed(1)} s)`);
    } else if (now === 'lagging') {
      const lag = status.lagSeconds === null ? 'by an unknown amount' : `${status.lagSeconds.toFixed(1)} s`;
      this.logger.warn(
        `${about} lags the primary ${lag} (REPLICA_MAX_LAG_SECONDS ${this.maxLagSeconds}): its reads go to the primary until it catches up`,
      );
    } else if (now === 'down') {
      this.logger.warn(`${about} is unreachable (${status.error ?? 'no answer'}): its reads go to the primary until it answers`);
    }
  }
}
