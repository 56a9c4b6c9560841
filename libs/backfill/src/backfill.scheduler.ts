import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Subscription } from 'rxjs';
import { DatabaseService } from '@app/database';
import { CLOCK, type Clock } from '@app/core';
import { TrackedSymbolRepository, TrackedSymbolsService } from '@app/market-data';
import { IngestionStatus } from '@app/ingestion';
import { type JobKey, sameJob } from './backfill-checkpoint';
import { BackfillCheckpointRepository } from './backfill-checkpoint.repository';
import { BackfillJobQueue } from './backfill-job.queue';
import { BackfillSettings } from './backfill-settings';
import { ProviderHalt } from './provider-halt';

const TICK_INTERVAL = 'backfill-scheduler-tick';
/** false in the CLI: it runs what it is asked and nothing on a schedule. */
export const BACKFILL_SCHEDULING = Symbol('BACKFILL_SCHEDULING');
/** A scheduled run gives its slot to other jobs after this long; the next tick continues it. */
export const RUN_SLICE_MS = 5 * 60_000;

/**
 * Every SCHEDULER_TICK_SECONDS, and right after a change through this instance's symbol
 * routes: reads tracked_symbols (so symbols and timeframes added, removed, paused or
 * resumed on any instance are picked up), stops jobs of removed timeframes and paused
 * symbols, and queues the jobs whose next run has come. The tick only starts work; the runner does it.
 */
@Injectable()
export class BackfillScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BackfillScheduler.name);
  private ticking?: Promise<void>;
  private paused = false;
  private stopped = false;
  private changes?: Subscription;

  constructor(
    private readonly settings: BackfillSettings,
    private readonly registry: SchedulerRegistry,
    private readonly database: DatabaseService,
    private readonly trackedSymbols: TrackedSymbolRepository,
    private readonly trackedSymbolChanges: TrackedSymbolsService,
    private readonly checkpoints: BackfillCheckpointRepository,
    private readonly queue: BackfillJobQueue,
    private readonly halt: ProviderHalt,
    private readonly ingestion: IngestionStatus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BACKFILL_SCHEDULING) private readonly scheduling: boolean,
  ) {}

  /** Whether this instance schedules jobs on its own: never while its database is a read-only replica. */
  get active(): boolean {
    return this.scheduling && this.settings.enabled && this.ingestion.enabled && !this.database.isReadOnly;
  }

  onApplicationBootstrap(): void {
    if (!this.scheduling) return;
    if (!this.settings.enabled) {
      this.logger.log('scheduled backfill is off (BACKFILL_ENABLED=false); POST /api/v1/symbol/{symbol}/backfill still works');
      return;
    }
    if (!this.ingestion.enabled) {
      this.logger.log(`scheduled backfill is idle: ingestion is off (${this.ingestion.reason})`);
      return;
    }
    this.registry.addInterval(
      TICK_INTERVAL,
      setInterval(() => void this.tick(), this.settings.tickMs),
    );
    // Changes made through this instance start (or stop) jobs at once; other instances' at the next tick.
    this.changes = this.trackedSymbolChanges.changes.subscribe(() => void this.tick());
    this.logger.log(
      `scheduled backfill on: every ${this.settings.tickMs / 1000} s, up to ${this.settings.concurrency} job(s) at once on this instance`,
    );
    // On a read-only replica tick() does nothing (active is false); DatabaseService says so when it connects.
    void this.database.whenReady().then(() => this.tick());
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.changes?.unsubscribe();
    if (this.registry.doesExist('interval', TICK_INTERVAL)) this.registry.deleteInterval(TICK_INTERVAL);
  }

  /** One pass; overlapping calls share the pass in flight. */
  tick(): Promise<void> {
    if (!this.active || this.stopped) return Promise.resolve();
    this.ticking ??= this.pass().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async pass(): Promise<void> {
    if (this.halt.active) return;
    try {
      const keys = await this.trackedJobs();
      // Removed timeframes (and untracked symbols) stop at their next window.
      this.queue.cancel((key, options) => options.tracked && !keys.some((k) => sameJob(k, key)));
      await this.checkpoints.ensure(keys);
      const due = await this.checkpoints.findDue(keys, this.clock.now());
      this.resumed();
      for (const key of due) this.queue.enqueue(key, { tracked: true, sliceMs: RUN_SLICE_MS });
    } catch (error) {
      const status = await this.database.status();
      if (status.connected) this.logger.error(`scheduler pass failed: ${error instanceof Error ? error.message : String(error)}`);
      else this.pausedBy(status.error ?? 'not reachable');
    }
  }

  /** Jobs of every tracked timeframe of every active symbol: a paused one (PATCH /api/v1/symbol/{symbol}) has none. */
  private async trackedJobs(): Promise<JobKey[]> {
    const allowed = this.settings.allowedTimeframes;
    const symbols = await this.trackedSymbols.findAll();
    return symbols
      .filter((s) => s.active)
      .flatMap((s) => s.timeframes.filter((tf) => allowed.includes(tf)).map((timeframe) => ({ symbol: s.symbol, timeframe })));
  }

  private pausedBy(reason: string): void {
    if (this.paused) return;
    this.paused = true;
    this.logger.warn(`database unavailable (${reason}): backfill and refresh paused until it returns`);
  }

  private resumed(): void {
    if (!this.paused) return;
    this.paused = false;
    this.logger.log('database is back: backfill and refresh resume where their checkpoints stopped');
  }

  get isPaused(): boolean {
    return this.paused;
  }
}
