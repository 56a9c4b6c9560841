import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { AppConfigService } from '@app/config';
import { DatabaseService } from '@app/database';
import { METRICS_REGISTRY } from '@app/metrics';
import { registerDatabaseHealthGauges } from './database-health.metrics';
import { DatabaseStatistics, type IndexUsage, type TableScans } from './database-statistics';

export { COMPRESSED_CHUNKS } from './database-statistics';
export type { IndexUsage, TableScans } from './database-statistics';

/** How well the database serves candle reads, from PostgreSQL's cumulative statistics. */
export interface DatabaseHealthReport {
  /** blks_hit / (blks_hit + blks_read) of this database; null before any block was asked for. */
  bufferCacheHitRatio: number | null;
  /** Per index of market_data (TimescaleDB: summed over its chunks), by name. */
  indexes: IndexUsage[];
  /** Sequential against index scans of market_data (TimescaleDB: summed over its chunks). */
  marketDataScans: TableScans;
}

/**
 * Buffer cache hit ratio and index usage on market_data, for the performance report; the same
 * figures as gauges at scrape time unless MONITOR_ENABLED=false (then a scrape runs none of
 * these queries). Throws DatabaseUnavailableError while the database is not connected.
 */
@Injectable()
export class DatabaseHealthReporter {
  private readonly statistics: DatabaseStatistics;

  constructor(database: DatabaseService, config: AppConfigService, @Inject(METRICS_REGISTRY) registry: Registry) {
    this.statistics = new DatabaseStatistics(database);
    if (config.get('MONITOR_ENABLED')) registerDatabaseHealthGauges(registry, this.statistics);
  }

  async report(): Promise<DatabaseHealthReport> {
    const [bufferCacheHitRatio, indexes, marketDataScans] = await Promise.all([
      this.statistics.bufferCacheHitRatio(),
      this.statistics.indexUsage(),
      this.statistics.marketDataScans(),
    ]);
    return { bufferCacheHitRatio, indexes, marketDataScans };
  }
}
