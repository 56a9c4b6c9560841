import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './health/database.health';
import { HealthController } from './health/health.controller';

/** Health now; the performance monitor, metrics and alerts join it here. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DatabaseHealthIndicator],
})
export class MonitoringModule {}
