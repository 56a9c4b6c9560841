import { Module } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { MetricsModule } from '@app/metrics';
import { AnswerCache } from './answer-cache';
import { CacheMetrics } from './cache.metrics';
import { CacheRedis } from './cache-redis';
import { SeriesVersions } from './series-versions';

function cacheRedis(config: AppConfigService, metrics: CacheMetrics): CacheRedis | undefined {
  const url = config.get('REDIS_URL');
  return url && config.get('CACHE_ENABLED') ? new CacheRedis(url, metrics) : undefined;
}

/** The answer cache and the series versions its keys are made of. */
@Module({
  imports: [MetricsModule],
  providers: [CacheMetrics, { provide: CacheRedis, useFactory: cacheRedis, inject: [AppConfigService, CacheMetrics] }, SeriesVersions, AnswerCache],
  exports: [AnswerCache, SeriesVersions],
})
export class CacheModule {}
