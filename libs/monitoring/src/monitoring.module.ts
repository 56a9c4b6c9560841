import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
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
import { RequestMetrics } from './requests/request.metrics';
import { DatabaseHealthReporter } from './database-health/database-health.reporter';
import { LatencyWindows } from './latency/latency-windows';
import { StorageMonitor } from './storage/storage-monitor';

/** Health (/health), the metrics endpoint (/metrics) and the request metrics behind it. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), IngestionModule, MetricsModule, CacheModule],
  controllers: [HealthController, MetricsController],
  providers: [
    DatabaseHealthIndicator,
    IngestionHealthIndicator,
    CacheHealthIndicator,
    ProcessMetrics,
    StorageMonitor,
    DatabaseHealthReporter,
    LatencyWindows,
  ],
})
export class MonitoringModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestMetrics).forRoutes('*');
  }
}
