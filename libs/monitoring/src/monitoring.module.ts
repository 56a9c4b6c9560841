import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheModule } from '@app/cache';
import { AppConfigService } from '@app/config';
import { IngestionModule } from '@app/ingestion';
import { MarketDataModule } from '@app/market-data';
import { MetricsModule } from '@app/metrics';
import { ALERT_PROVIDERS } from './alerts/alerts.providers';
import { MonitorController } from './api/monitor.controller';
import { PerformanceView } from './api/performance-view';
import { InstanceIdentity } from './instance-id';
import { AlertsHealthIndicator } from './health/alerts.health';
import { CacheHealthIndicator } from './health/cache.health';
import { DatabaseHealthIndicator } from './health/database.health';
import { HealthController } from './health/health.controller';
import { IngestionHealthIndicator } from './health/ingestion.health';
import { MetricsController } from './metrics/metrics.controller';
import { ProcessMetrics } from './metrics/process.metrics';
import { RequestMetrics } from './requests/request.metrics';
import { DatabaseHealthReporter } from './database-health/database-health.reporter';
import { LatencyWindows } from './latency/latency-windows';
import { LatencySlotRepository } from './latency/latency-slot.repository';
import { StorageMonitor } from './storage/storage-monitor';

/** The performance monitor: /health, /metrics, /api/v1/monitor/*, request latency, storage samples, database health and alerts. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), IngestionModule, MarketDataModule, MetricsModule, CacheModule],
  controllers: [HealthController, MetricsController, MonitorController],
  providers: [
    DatabaseHealthIndicator,
    IngestionHealthIndicator,
    CacheHealthIndicator,
    AlertsHealthIndicator,
    ProcessMetrics,
    StorageMonitor,
    DatabaseHealthReporter,
    LatencyWindows,
    LatencySlotRepository,
    ...ALERT_PROVIDERS,
    PerformanceView,
    InstanceIdentity,
  ],
})
export class MonitoringModule implements NestModule {
  constructor(private readonly config: AppConfigService) {}

  configure(consumer: MiddlewareConsumer): void {
    // MONITOR_ENABLED=false: not applied at all, so requests pay nothing for it.
    if (this.config.get('MONITOR_ENABLED')) consumer.apply(RequestMetrics).forRoutes('*');
  }
}
