import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { IngestionModule } from '@app/ingestion';
import { MetricsModule } from '@app/metrics';
import { DatabaseHealthIndicator } from './health/database.health';
import { HealthController } from './health/health.controller';
import { IngestionHealthIndicator } from './health/ingestion.health';
import { MetricsController } from './metrics/metrics.controller';
import { ProcessMetrics } from './metrics/process.metrics';

/** Health (/health) and the metrics endpoint (/metrics). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), IngestionModule, MetricsModule],
  controllers: [HealthController, MetricsController],
  providers: [DatabaseHealthIndicator, IngestionHealthIndicator, ProcessMetrics],
})
export class MonitoringModule {}
