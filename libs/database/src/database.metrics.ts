import { Inject, Injectable, Optional } from '@nestjs/common';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { AppConfigService } from '@app/config';
import { METRICS_REGISTRY, timeInto } from '@app/metrics';

/** What a pool says about itself (pg.Pool's counters). */
export interface PoolCounts {
  total: number;
  idle: number;
  waiting: number;
}

/** The statement's first keyword, from a short fixed list (labels must not grow with the SQL). */
export function statementKind(sql: string): string {
  const keyword = /^\s*(?:--[^\n]*\n\s*)*([a-z]+)/i.exec(sql)?.[1]?.toLowerCase();
  switch (keyword) {
    case 'select':
    case 'insert':
    case 'update':
    case 'delete':
    case 'merge':
    case 'with':
    case 'copy':
    case 'create':
    case 'call':
      return keyword;
    default:
      return 'other';
  }
}

/**
 * `db_query_duration_seconds{kind}` and `db_pool_connections{state}` (in_use, idle, waiting).
 * MONITOR_ENABLED=false: statements run untimed (what a benchmark compares to measure the cost).
 */
@Injectable()
export class DatabaseMetrics {
  private readonly duration: Histogram<'kind'>;
  private readonly enabled: boolean;
  private pool: () => PoolCounts | undefined = () => undefined;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Optional() config?: AppConfigService) {
    this.enabled = config?.get('MONITOR_ENABLED') ?? true;
    this.duration = new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Database statements by kind (first keyword: select, insert, merge, copy, ...)',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const counts = (): PoolCounts | undefined => this.pool();
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the pool: in_use, idle, and requests waiting for one',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const now = counts();
        if (!now) return;
        this.set({ state: 'in_use' }, now.total - now.idle);
        this.set({ state: 'idle' }, now.idle);
        this.set({ state: 'waiting' }, now.waiting);
      },
    });
  }

  /** Where the pool's counters are read from when scraped. */
  watchPool(pool: () => PoolCounts | undefined): void {
    this.pool = pool;
  }

  /** Runs a statement and observes how long it took; `succeeded` hears the milliseconds of one that did not fail. */
  timed<T>(sql: string, run: () => Promise<T>, succeeded?: (ms: number) => void): Promise<T> {
    return this.enabled ? this.time(sql, run, succeeded) : run();
  }

  private async time<T>(sql: string, run: () => Promise<T>, succeeded?: (ms: number) => void): Promise<T> {
    const started = performance.now();
    const result = await timeInto(this.duration, { kind: statementKind(sql) }, run);
    succeeded?.(performance.now() - started);
    return result;
  }
}
