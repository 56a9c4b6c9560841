export { BackfillModule } from './backfill.module';
export { BackfillCheckpointModule } from './backfill-checkpoint.module';
export { BackfillCheckpointRepository } from './backfill-checkpoint.repository';
export { BackfillCheckpointEntity } from './backfill-checkpoint.entity';
export { BackfillService } from './backfill.service';
export { BackfillScheduler } from './backfill.scheduler';
export { BackfillJobQueue } from './backfill-job.queue';
export type { JobKey } from './backfill-checkpoint';
export type { JobProgress, JobRunReport } from './job-run-report';
