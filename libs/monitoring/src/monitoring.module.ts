import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { IngestionModule } from '@app/ingestion';
import { DatabaseHealthIndicator } from './health/database.health';
import { HealthController } from './health/health.controller';
import { IngestionHealthIndicator } from './health/ingestion.health';
import { MetricsController } from './metrics/metrics.controller';

/** Health and metrics; the performance monitor and alerts join them here. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), IngestionModule],
  controllers: [HealthController, MetricsController],
  providers: [DatabaseHealthIndicator, IngestionHealthIndicator],
})
export class MonitoringModule {}
