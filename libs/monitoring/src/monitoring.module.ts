import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheModule } from '@app/cache';
import { IngestionModule } from '@app/ingestion';
import { MetricsModule } from '@app/metrics';
import { CacheHealthIndicator } from './health/cache.health';
import { DatabaseHealthIndicator } from './health/database.health';
import { HealthController } from './health/health.controller';
import { IngestionHealthIndicator } from './health/ingestion.health';
import { MetricsController } from './metrics/metrics.controller';
import { ProcessMetrics } from './metrics/process.metrics';

/** Health (/health) and the metrics endpoint (/metrics). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), IngestionModule, MetricsModule, CacheModule],
  controllers: [HealthController, MetricsController],
  providers: [DatabaseHealthIndicator, IngestionHealthIndicator, CacheHealthIndicator, ProcessMetrics],
})
export class MonitoringModule {}
