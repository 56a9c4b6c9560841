import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/metrics';

export type CacheTier = 'local' | 'redis';

/** What the answer cache does, in the application's one registry. */
@Injectable()
export class CacheMetrics {
  readonly hits: Counter<'tier'>;
  readonly misses: Counter;
  readonly bypasses: Counter<'reason'>;
  readonly notModified: Counter;
  readonly evictions: Counter;
  readonly invalidations: Counter;
  readonly redisErrors: Counter;
  private readonly bytes: Gauge;
  private readonly entries: Gauge;
  readonly degraded: Gauge;
  private localTier: () => { bytes: number; entries: number } = () => ({ bytes: 0, entries: 0 });

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.hits = new Counter({ name: 'cache_hits_total', help: 'Answers served from the cache, by tier', labelNames: ['tier'], registers });
    this.misses = new Counter({ name: 'cache_misses_total', help: 'Cacheable answers computed from the database', registers });
    this.bypasses = new Counter({
      name: 'cache_bypasses_total',
      help: 'Answers that skip the cache, by reason (disabled, open-ended window)',
      labelNames: ['reason'],
      registers,
    });
    this.notModified = new Counter({ name: 'cache_not_modified_total', help: '304 answers to If-None-Match', registers });
    this.evictions = new Counter({
      name: 'cache_evictions_total',
      help: 'In-process answers evicted to stay within CACHE_MAX_BYTES',
      registers,
    });
    this.invalidations = new Counter({
      name: 'cache_invalidations_total',
      help: 'Series (symbol and timeframe) invalidated by a write',
      registers,
    });
    this.redisErrors = new Counter({ name: 'cache_redis_errors_total', help: 'Failed or slow Redis commands of the cache', registers });
    const tier = (): { bytes: number; entries: number } => this.localTier();
    this.bytes = new Gauge({
      name: 'cache_bytes',
      help: 'Bytes held by the in-process tier',
      registers,
      collect() {
        this.set(tier().bytes);
      },
    });
    this.entries = new Gauge({
      name: 'cache_entries',
      help: 'Answers held by the in-process tier',
      registers,
      collect() {
        this.set(tier().entries);
      },
    });
    this.degraded = new Gauge({
      name: 'cache_degraded',
      help: '1 while Redis is configured but unusable (in-process tier only)',
      registers,
    });
  }

  /** Where cache_bytes and cache_entries are read from when scraped. */
  watchLocalTier(read: () => { bytes: number; entries: number }): void {
    this.localTier = read;
  }
}
