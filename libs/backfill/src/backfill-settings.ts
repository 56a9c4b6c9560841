import { Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import type { TimeframeDurations, TimeframeValue } from '@app/core';

/** The BACKFILL_* / REFRESH_* / SCHEDULER_* settings, typed for the scheduler and its jobs. */
@Injectable()
export class BackfillSettings {
  readonly enabled: boolean;
  readonly windows: TimeframeDurations;
  readonly cadences: TimeframeDurations;
  readonly revisionMs: number;
  readonly tickMs: number;
  readonly concurrency: number;
  readonly maxAttempts: number;

  constructor(private readonly config: AppConfigService) {
    this.enabled = config.get('BACKFILL_ENABLED');
    this.windows = config.get('BACKFILL_WINDOWS');
    this.cadences = config.get('REFRESH_CADENCES');
    this.revisionMs = config.get('REFRESH_REVISION_MINUTES') * 60_000;
    this.tickMs = config.get('SCHEDULER_TICK_SECONDS') * 1000;
    // A running job holds one pooled connection for its lock and needs another to write: never more jobs than half the pool.
    this.concurrency = Math.max(1, Math.min(config.get('BACKFILL_CONCURRENCY'), Math.floor(config.get('DATABASE_POOL_SIZE') / 2)));
    this.maxAttempts = config.get('BACKFILL_MAX_ATTEMPTS');
  }

  get allowedTimeframes(): readonly TimeframeValue[] {
    return this.config.allowedTimeframes;
  }
}
