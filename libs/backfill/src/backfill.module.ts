import { DynamicModule, Module } from '@nestjs/common';
import { MarketDataModule } from '@app/market-data';
import { IngestionModule } from '@app/ingestion';
import { MetricsModule } from '@app/metrics';
import { BackfillCheckpointModule } from './backfill-checkpoint.module';
import { BackfillJobQueue } from './backfill-job.queue';
import { BackfillJobRunner } from './backfill-job.runner';
import { BackfillSettings } from './backfill-settings';
import { BackfillStatusService } from './backfill-status.service';
import { BackfillMetrics } from './backfill.metrics';
import { BACKFILL_SCHEDULING, BackfillScheduler } from './backfill.scheduler';
import { BackfillService } from './backfill.service';
import { BackfillJobsController } from './http/backfill-jobs.controller';
import { JobLock } from './job-lock';
import { ProviderHalt } from './provider-halt';

export interface BackfillModuleOptions {
  /** false: no jobs on a schedule (the CLI runs only what it is asked). Default true. */
  scheduling?: boolean;
}

/**
 * Backfill and refresh of tracked symbols on IngestionService: the scheduler (needs
 * ScheduleModule.forRoot() in the application), the job queue and runner, checkpoints,
 * the jobs routes and the metrics.
 */
@Module({})
export class BackfillModule {
  static forRoot(options: BackfillModuleOptions = {}): DynamicModule {
    return {
      module: BackfillModule,
      imports: [IngestionModule, MarketDataModule, BackfillCheckpointModule, MetricsModule],
      controllers: [BackfillJobsController],
      providers: [
        { provide: BACKFILL_SCHEDULING, useValue: options.scheduling ?? true },
        BackfillSettings,
        BackfillMetrics,
        ProviderHalt,
        JobLock,
        BackfillJobRunner,
        BackfillJobQueue,
        BackfillScheduler,
        BackfillService,
        BackfillStatusService,
      ],
      exports: [BackfillService, BackfillStatusService, BackfillScheduler, BackfillJobQueue, BackfillSettings],
    };
  }
}
