import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReplicaFault } from './replica-faults';
import type { ReadReplica } from './read-replica';

/**
 * `db_reads_total{served_by}` (replica or primary) for the reads that may go to a replica,
 * `db_replica_fallbacks_total{reason}` for those a replica failed and the primary answered, and per
 * replica (`replica`: its position in DATABASE_REPLICA_URLS) `db_replica_up` and `db_replica_lag_seconds`.
 */
export class ReplicaMetrics {
  private readonly reads: Counter<'served_by'>;
  private readonly fallbacks: Counter<'reason'>;

  constructor(registry: Registry, replicas: readonly ReadReplica[]) {
    this.reads = new Counter({
      name: 'db_reads_total',
      help: 'Reads that may go to a read replica (candles, derived bars, gaps), by the database that answered: replica or primary',
      labelNames: ['served_by'],
      registers: [registry],
    });
    this.fallbacks = new Counter({
      name: 'db_replica_fallbacks_total',
      help: 'Reads a replica failed (unreachable, or a recovery conflict) that the primary answered instead',
      labelNames: ['reason'],
      registers: [registry],
    });
    if (!replicas.length) return;
    new Gauge({
      name: 'db_replica_up',
      help: '1 while the replica serves reads (reachable, replay lag within REPLICA_MAX_LAG_SECONDS), else 0',
      labelNames: ['replica'],
      registers: [registry],
      collect() {
        for (const replica of replicas) this.set({ replica: String(replica.number) }, replica.usable ? 1 : 0);
      },
    });
    new Gauge({
      name: 'db_replica_lag_seconds',
      help: "The replica's replay lag behind the primary at its last probe (absent while unknown)",
      labelNames: ['replica'],
      registers: [registry],
      collect() {
        this.reset();
        for (const replica of replicas) {
          const lag = replica.status.lagSeconds;
          if (lag !== null && replica.state !== 'down') this.set({ replica: String(replica.number) }, lag);
        }
      },
    });
  }

  served(by: 'replica' | 'primary'): void {
    this.reads.inc({ served_by: by });
  }

  fellBack(reason: ReplicaFault): void {
    this.fallbacks.inc({ reason });
  }
}
