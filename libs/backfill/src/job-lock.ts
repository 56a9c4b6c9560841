import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@app/database';
import type { JobKey } from './backfill-checkpoint';

/** Locks held in this process, for the single-session engine (see JobLock). */
const heldInProcess = new Set<string>();

export function lockName(key: JobKey): string {
  return `market-data-api:backfill:${key.symbol}:${key.timeframe}`;
}

/**
 * One (symbol, timeframe) job runs in one place at a time: a Postgres session advisory
 * lock (pg_try_advisory_lock on a connection held for the run), so instances sharing a
 * database never run the same job together, and a killed instance's lock dies with its
 * connection. The in-process test engine (PGlite, the only one without COPY) has a single
 * session that a held connection would block, and no other process can reach it: there a
 * process-wide lock does the same job.
 */
@Injectable()
export class JobLock {
  constructor(private readonly database: DatabaseService) {}

  /** Runs `work` holding the job's lock; undefined without running when it is held elsewhere. */
  async tryRun<T>(key: JobKey, work: () => Promise<T>): Promise<T | undefined> {
    const name = lockName(key);
    if (this.database.supportsCopy) return this.database.withAdvisoryLock(name, () => work(), false);
    if (heldInProcess.has(name)) return undefined;
    heldInProcess.add(name);
    try {
      return await work();
    } finally {
      heldInProcess.delete(name);
    }
  }
}
