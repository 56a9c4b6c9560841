import { Logger } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { messageOf } from '@app/core';
import type { DatabaseStatistics } from './database-statistics';

const logger = new Logger('DatabaseHealthMetrics');

/**
 * `db_buffer_cache_hit_ratio` and `db_index_scans{index}`, read from the statistics at scrape
 * time. Absent while unknown (no block read yet, the database unreachable): a failed read must
 * not fail the whole scrape, nor read as 0.
 */
export function registerDatabaseHealthGauges(registry: Registry, statistics: DatabaseStatistics): void {
  new Gauge({
    name: 'db_buffer_cache_hit_ratio',
    help: "Share of the database's block requests found in shared buffers: blks_hit / (blks_hit + blks_read) since the statistics were reset",
    registers: [registry],
    async collect() {
      const ratio = await statistics.bufferCacheHitRatio().catch(unreadable);
      if (ratio === null) this.remove();
      else this.set(ratio);
    },
  });
  new Gauge({
    name: 'db_index_scans',
    help: 'Scans of each index of market_data since the statistics were reset (TimescaleDB: summed over its chunks)',
    labelNames: ['index'],
    registers: [registry],
    async collect() {
      const indexes = await statistics.indexScans().catch(unreadable);
      this.reset();
      for (const { name, scans } of indexes ?? []) this.set({ index: name }, scans);
    },
  });
}

function unreadable(error: unknown): null {
  logger.debug(`database statistics not readable: ${messageOf(error)}`);
  return null;
}
