import { Module } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfigService } from '@app/config';
import { DatabaseService } from '@app/database';
import { MetricsModule } from '@app/metrics';
import { AnswerCache } from './answer-cache';
import { CacheMetrics } from './cache.metrics';
import { CacheRedis } from './cache-redis';
import { SeriesVersions } from './series-versions';

function cacheRedis(config: AppConfigService, metrics: CacheMetrics, database: DatabaseService): CacheRedis | undefined {
  const url = config.get('REDIS_URL');
  return url && config.get('CACHE_ENABLED') ? new CacheRedis(url, metrics, () => storeScope(database)) : undefined;
}

/** Which database this is: its cluster's identifier (new for every initdb or restored copy) and its name. */
async function storeScope(database: DatabaseService): Promise<string> {
  await database.whenReady();
  const [row] = await database.query<{ name: string; system: string }>(
    'SELECT current_database() AS name, (SELECT system_identifier::text FROM pg_control_system()) AS system',
  );
  return createHash('sha256').update(`${row.system}/${row.name}`).digest('base64url').slice(0, 12);
}

/** The answer cache and the series versions its keys are made of. */
@Module({
  imports: [MetricsModule],
  providers: [
    CacheMetrics,
    { provide: CacheRedis, useFactory: cacheRedis, inject: [AppConfigService, CacheMetrics, DatabaseService] },
    SeriesVersions,
    AnswerCache,
  ],
  exports: [AnswerCache, SeriesVersions],
})
export class CacheModule {}
