import { Module } from '@nestjs/common';
import { BackfillCheckpointRepository } from './backfill-checkpoint.repository';

/** backfill_checkpoints on its own, for the jobs and for the gap report (which tells fetched from not fetched). */
@Module({ providers: [BackfillCheckpointRepository], exports: [BackfillCheckpointRepository] })
export class BackfillCheckpointModule {}
