import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, Timeframe, type TimeframeValue, type TimeRange } from '@app/core';
import { TrackedSymbolRepository } from '@app/market-data';
import { IngestionStatus } from '@app/ingestion';
import { type Checkpoint, type CheckpointState, type JobKey, jobName } from './backfill-checkpoint';
import { BackfillCheckpointRepository } from './backfill-checkpoint.repository';
import { BackfillJobQueue } from './backfill-job.queue';
import { BackfillJobRunner } from './backfill-job.runner';
import { backfillTarget, progressPercent, windowStart } from './backfill-plan';
import { BackfillSettings } from './backfill-settings';
import { BackfillScheduler } from './backfill.scheduler';
import { type HaltSnapshot, ProviderHalt } from './provider-halt';

/** Persisted states, plus stopped (no longer tracked, work left) and halted (provider refused the key). */
export type JobState = CheckpointState | 'stopped' | 'halted';

export interface JobStatus extends JobKey {
  tracked: boolean;
  state: JobState;
  progressPercent: number;
  /** What the job keeps covered: its history window (tracked) plus ranges asked for by hand. */
  target: TimeRange[];
  /** What is fetched and final. */
  covered: TimeRange[];
  /** A forced backfill is not finished: `forced` is still to be read again. */
  force: boolean;
  forced: TimeRange[];
  bars: number;
  requests: number;
  errors: number;
  lastError?: string;
  runningOn?: string;
  refreshedAt?: number;
  lastStartedAt?: number;
  lastFinishedAt?: number;
  /** When it runs next; undefined when it will not on its own (failed, stopped, halted). */
  nextRunAt?: number;
}

export interface SchedulerStatus {
  /** This instance schedules jobs (BACKFILL_ENABLED and a provider key). */
  enabled: boolean;
  ingestionEnabled: boolean;
  reason?: string;
  paused: boolean;
  halted?: HaltSnapshot;
  tickSeconds: number;
  concurrency: number;
  instance: string;
  runningHere: JobKey[];
}

/** GET /api/v1/backfill/jobs: every job, from the shared checkpoints, so any instance answers the same. */
@Injectable()
export class BackfillStatusService {
  constructor(
    private readonly checkpoints: BackfillCheckpointRepository,
    private readonly trackedSymbols: TrackedSymbolRepository,
    private readonly settings: BackfillSettings,
    private readonly scheduler: BackfillScheduler,
    private readonly runner: BackfillJobRunner,
    private readonly queue: BackfillJobQueue,
    private readonly halt: ProviderHalt,
    private readonly ingestion: IngestionStatus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  schedulerStatus(): SchedulerStatus {
    return {
      enabled: this.scheduler.active,
      ingestionEnabled: this.ingestion.enabled,
      ...(this.ingestion.reason ? { reason: this.ingestion.reason } : {}),
      paused: this.scheduler.isPaused,
      ...(this.halt.snapshot() ? { halted: this.halt.snapshot() } : {}),
      tickSeconds: this.settings.tickMs / 1000,
      concurrency: this.settings.concurrency,
      instance: this.runner.instance,
      runningHere: this.queue.runningJobs,
    };
  }

  async jobs(filter: { symbol?: string; timeframe?: TimeframeValue } = {}): Promise<JobStatus[]> {
    const now = this.clock.now();
    const tracked = new Map<string, JobKey>();
    for (const symbol of await this.trackedSymbols.findAll()) {
      // A paused symbol's jobs (PATCH /api/v1/symbol/{symbol}) are left alone by the scheduler: shown like untracked ones.
      if (!symbol.active) continue;
      for (const timeframe of symbol.timeframes)
        tracked.set(jobName({ symbol: symbol.symbol, timeframe }), { symbol: symbol.symbol, timeframe });
    }
    const rows = new Map((await this.checkpoints.findAll()).map((c) => [jobName(c), c]));
    // A job tracked a moment ago may have no row until the next tick: show it as pending.
    for (const [name, key] of tracked) if (!rows.has(name)) rows.set(name, emptyCheckpoint(key));
    return [...rows.values()]
      .filter(
        (c) =>
          (filter.symbol === undefined || c.symbol === filter.symbol) &&
          (filter.timeframe === undefined || c.timeframe === filter.timeframe),
      )
      .sort((a, b) => a.symbol.localeCompare(b.symbol) || Timeframe.of(a.timeframe).durationMs - Timeframe.of(b.timeframe).durationMs)
      .map((c) => this.statusOf(c, tracked.has(jobName(c)), now));
  }

  private statusOf(checkpoint: Checkpoint, tracked: boolean, now: number): JobStatus {
    const timeframe = Timeframe.of(checkpoint.timeframe);
    const plan = {
      symbol: checkpoint.symbol,
      timeframe,
      now,
      windowMs: this.settings.windows[timeframe.value],
      revisionMs: this.settings.revisionMs,
      // A job untracked without ranges asked by hand was a tracked one: show how far its window got.
      tracked: tracked || checkpoint.requested.length === 0,
      covered: checkpoint.covered,
      requested: checkpoint.requested,
      forced: checkpoint.forced,
    };
    const state = this.stateOf(checkpoint, tracked);
    const target = backfillTarget(plan);
    return {
      symbol: checkpoint.symbol,
      timeframe: checkpoint.timeframe,
      tracked,
      state,
      progressPercent: progressPercent(plan),
      target: target.length ? target : tracked ? [{ start: windowStart(plan), end: now }] : [],
      covered: checkpoint.covered,
      force: checkpoint.forced.length > 0,
      forced: checkpoint.forced,
      bars: checkpoint.bars,
      requests: checkpoint.requests,
      errors: checkpoint.errors,
      ...defined('lastError', checkpoint.lastError),
      ...defined('runningOn', state === 'running' ? checkpoint.runningOn : undefined),
      ...defined('refreshedAt', checkpoint.refreshedAt),
      ...defined('lastStartedAt', checkpoint.lastStartedAt),
      ...defined('lastFinishedAt', checkpoint.lastFinishedAt),
      ...defined('nextRunAt', this.nextRunOf(checkpoint, state, tracked, now)),
    };
  }

  private stateOf(checkpoint: Checkpoint, tracked: boolean): JobState {
    if (checkpoint.state === 'running' || checkpoint.state === 'failed') return checkpoint.state;
    if (!tracked) return checkpoint.state === 'done' ? 'done' : 'stopped';
    if (this.halt.active) return 'halted';
    return checkpoint.state;
  }

  private nextRunOf(checkpoint: Checkpoint, state: JobState, tracked: boolean, now: number): number | undefined {
    if (!tracked || state === 'failed' || state === 'stopped' || state === 'halted') return undefined;
    if (state !== 'running' && !this.scheduler.active) return undefined;
    if (state === 'done' && checkpoint.nextRunAt === undefined) return undefined;
    // Due jobs start at the next tick.
    return Math.max(checkpoint.nextRunAt ?? now, now);
  }
}

function emptyCheckpoint(key: JobKey): Checkpoint {
  return { ...key, covered: [], requested: [], forced: [], state: 'pending', bars: 0, requests: 0, errors: 0, consecutiveFailures: 0 };
}

function defined<K extends string, V>(name: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, V>);
}
