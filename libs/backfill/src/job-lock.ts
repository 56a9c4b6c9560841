import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@app/database';
import type { JobKey } from './backfill-checkpoint';

export function lockName(key: JobKey): string {
  return `market-data-api:backfill:${key.symbol}:${key.timeframe}`;
}

/** One (symbol, timeframe) job runs in one place at a time (DatabaseService.runExclusive). */
@Injectable()
export class JobLock {
  constructor(private readonly database: DatabaseService) {}

  /** Runs `work` holding the job's lock; undefined without running when it is held elsewhere. */
  tryRun<T>(key: JobKey, work: () => Promise<T>): Promise<T | undefined> {
    return this.database.runExclusive(lockName(key), work);
  }
}
