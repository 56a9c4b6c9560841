import { Inject, Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { CLOCK, type Clock, intersect, messageOf, Timeframe, TimeRange, union } from '@app/core';
import { DatabaseService, type DatabaseStatus } from '@app/database';
import { MARKET_DATA_PROVIDER, ProviderError, type ProviderErrorDisposition } from '@app/provider';
import { IngestionService } from '@app/ingestion';
import {
  Chunk,
  PlanInput,
  type WindowPlanner,
  chunksNewestFirst,
  finalBefore,
  progressPercent,
  rangesToFetch,
  refreshRange,
} from './backfill-plan';
import { type Checkpoint, type JobKey } from './backfill-checkpoint';
import { BackfillCheckpointRepository, RunEnding } from './backfill-checkpoint.repository';
import { BackfillSettings } from './backfill-settings';
import { BackfillMetrics } from './backfill.metrics';
import type { JobProgress, JobRunReport } from './job-run-report';
import { JobLock } from './job-lock';
import { ProviderHalt } from './provider-halt';

export interface RunOptions {
  /** Tracked jobs refresh and keep their history window; untracked ones fill only what was requested. */
  tracked: boolean;
  /** Also fetch the newest, not yet final part of requested ranges (explicit runs; tracked jobs' refresh does it). */
  fetchRequestedTail?: boolean;
  /** Stop after this long so other jobs get their turn; the next run continues. */
  sliceMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
}

/**
 * What the runner uses of its collaborators. The real classes satisfy these (Nest injects
 * them by class); the unit spec hands in small in-memory fakes.
 */
export type RunnerIngestion = Pick<IngestionService, 'ingest'>;
export type RunnerCheckpoints = Pick<
  BackfillCheckpointRepository,
  'ensure' | 'find' | 'markRunning' | 'markRefreshed' | 'cover' | 'finish'
>;
export interface RunnerDatabase {
  status(): Promise<Pick<DatabaseStatus, 'connected' | 'error'>>;
}
export type RunnerLock = Pick<JobLock, 'tryRun'>;
export type RunnerMetrics = Pick<BackfillMetrics, 'record'>;

type RunEnd = Pick<JobRunReport, 'outcome' | 'error' | 'errorKind'>;

interface RunTotals {
  chunks: number;
  requests: number;
  bars: number;
  written: number;
  refreshed: boolean;
  forced: boolean;
  progressPercent: number;
}

/** First retry a minute after a failure, doubling up to an hour; a paused job waits the first step. */
const RETRY_BASE_MS = 60_000;
const RETRY_MAX_MS = 3_600_000;

/** Ended early without an error: the run reports this outcome. */
class RunInterrupted extends Error {
  constructor(readonly outcome: 'stopped' | 'incomplete') {
    super(outcome);
  }
}

/**
 * Runs one (symbol, timeframe) job while holding its advisory lock, so it runs on one
 * instance at a time: re-reads the recent window when its refresh is due, then fetches
 * what the checkpoint says is missing, one provider window at a time, newest first.
 * Each window is added to the checkpoint right after its bars are written, so a run
 * killed at any point loses at most the window in flight. Provider errors say what to do
 * (their disposition): permanent fails the job for good, halt-all stops every job, retry
 * counts an attempt and retries with backoff, pause waits without counting. Other errors:
 * a lost database pauses the job, shutdown stops it, anything else retries like provider
 * trouble. Windows are the provider's own plan, so each one is one request.
 */
@Injectable()
export class BackfillJobRunner {
  readonly instance = `${hostname()}:${process.pid}`;
  private readonly logger = new Logger(BackfillJobRunner.name);

  constructor(
    @Inject(IngestionService) private readonly ingestion: RunnerIngestion,
    @Inject(MARKET_DATA_PROVIDER) private readonly planner: WindowPlanner,
    @Inject(BackfillCheckpointRepository) private readonly checkpoints: RunnerCheckpoints,
    @Inject(DatabaseService) private readonly database: RunnerDatabase,
    @Inject(JobLock) private readonly lock: RunnerLock,
    private readonly settings: BackfillSettings,
    @Inject(BackfillMetrics) private readonly metrics: RunnerMetrics,
    private readonly halt: ProviderHalt,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Runs the job if no other session holds it; always reports (outcome `busy` when held elsewhere). */
  async run(key: JobKey, options: RunOptions): Promise<JobRunReport> {
    const started = performance.now();
    const totals: RunTotals = { chunks: 0, requests: 0, bars: 0, written: 0, refreshed: false, forced: false, progressPercent: 0 };
    let ending: RunEnd;
    try {
      ending = (await this.lock.tryRun(key, () => this.runLocked(key, options, totals, started))) ?? { outcome: 'busy' };
    } catch (error) {
      // Only taking or releasing the lock gets here; the run itself reports its own errors.
      ending = await this.unexpected(error, options);
    }
    const report: JobRunReport = { ...key, ...totals, ...ending, durationMs: Math.round(performance.now() - started) };
    this.finished(report);
    return report;
  }

  private async runLocked(key: JobKey, options: RunOptions, totals: RunTotals, started: number): Promise<RunEnd> {
    await this.checkpoints.ensure([key]);
    let checkpoint = (await this.checkpoints.find(key))!;
    if (checkpoint.state === 'failed') return { outcome: 'skipped' };
    await this.checkpoints.markRunning(key, this.instance, this.clock.now());
    const timeframe = Timeframe.of(key.timeframe);
    const deadline = started + (options.sliceMs ?? Number.POSITIVE_INFINITY);
    try {
      if (options.tracked && this.refreshDue(checkpoint)) checkpoint = await this.refresh(key, timeframe, options, totals);
      const now = this.clock.now();
      const plan = this.planInput(checkpoint, timeframe, now, options.tracked);
      const final = finalBefore(plan);
      let work = rangesToFetch(plan);
      if (options.fetchRequestedTail) work = union(work, requestedTail(checkpoint.requested, final, now));
      const chunks = chunksNewestFirst(key.symbol, timeframe, work, this.planner);
      let done = 0;
      for (const chunk of chunks) {
        this.interruptIfNeeded(options, deadline);
        if (options.tracked && this.refreshDue(checkpoint)) checkpoint = await this.refresh(key, timeframe, options, totals);
        await this.fetchChunk(key, timeframe, chunk, final, plan.forced, totals, 'history');
        options.onProgress?.({
          ...key,
          progressPercent: await this.progressOf(key, timeframe, options.tracked),
          chunksDone: ++done,
          chunksPlanned: chunks.length,
          bars: totals.bars,
          requests: totals.requests,
        });
      }
      const latest = (await this.checkpoints.find(key))!;
      totals.progressPercent = progressPercent(this.planInput(latest, timeframe, this.clock.now(), options.tracked));
      // A force recorded after this run made its plan (e.g. by an instance that found the job busy): due again at once.
      if (latest.forced.length) {
        await this.end(key, { state: 'pending', nextRunAt: this.clock.now(), lastError: null, failed: false });
        return { outcome: 'incomplete' };
      }
      const refreshedAt = checkpoint.refreshedAt;
      const nextRefresh = options.tracked && refreshedAt !== undefined ? refreshedAt + this.settings.cadences[key.timeframe] : undefined;
      await this.end(key, { state: 'done', nextRunAt: nextRefresh, lastError: null, failed: false });
      return { outcome: 'done' };
    } catch (error) {
      totals.progressPercent = await this.progressOf(key, timeframe, options.tracked).catch(() => totals.progressPercent);
      return this.failed(key, checkpoint, error, options);
    }
  }

  /** Re-reads [end of coverage or revision window, now) and marks what became final as covered. */
  private async refresh(key: JobKey, timeframe: Timeframe, options: RunOptions, totals: RunTotals): Promise<Checkpoint> {
    const now = this.clock.now();
    const checkpoint = (await this.checkpoints.find(key))!;
    const plan = this.planInput(checkpoint, timeframe, now, true);
    const range = refreshRange(plan);
    if (range) {
      const final = finalBefore(plan);
      for (const chunk of chunksNewestFirst(key.symbol, timeframe, [range], this.planner)) {
        this.interruptIfNeeded(options, Number.POSITIVE_INFINITY);
        await this.fetchChunk(key, timeframe, chunk, final, checkpoint.forced, totals, 'refresh');
      }
    }
    await this.checkpoints.markRefreshed(key, now);
    totals.refreshed = true;
    return (await this.checkpoints.find(key))!;
  }

  /**
   * Fetches one window (or, when the market was closed throughout, only records it) and advances the checkpoint.
   * `forced` is what the plan was made from: a window is taken off the forced ranges only when the plan knew them,
   * so a force asked for while an older plan runs is not lost (that run's `again`, or the next, reads it).
   */
  private async fetchChunk(
    key: JobKey,
    timeframe: Timeframe,
    chunk: Chunk,
    final: number,
    forced: readonly TimeRange[],
    totals: RunTotals,
    purpose: 'history' | 'refresh',
  ): Promise<void> {
    const coverable: TimeRange | undefined = chunk.start < final ? { start: chunk.start, end: Math.min(chunk.end, final) } : undefined;
    const window: TimeRange = { start: chunk.start, end: chunk.end };
    const reread = intersect([window], forced).length ? window : undefined;
    if (!chunk.open) {
      await this.checkpoints.cover(key, coverable, { bars: 0, requests: 0 }, reread);
      totals.forced ||= reread !== undefined;
      return;
    }
    const result = await this.ingestion.ingest(key.symbol, timeframe.value, chunk.start, chunk.end);
    if (purpose === 'history') totals.chunks++;
    totals.requests += result.requests;
    totals.bars += result.bars;
    totals.written += result.written;
    await this.checkpoints.cover(key, coverable, { bars: result.bars, requests: result.requests }, reread);
    totals.forced ||= reread !== undefined;
  }

  private interruptIfNeeded(options: RunOptions, deadline: number): void {
    if (options.signal?.aborted) throw new RunInterrupted('stopped');
    if (performance.now() > deadline) throw new RunInterrupted('incomplete');
  }

  private refreshDue(checkpoint: Checkpoint): boolean {
    const cadence = this.settings.cadences[checkpoint.timeframe];
    return checkpoint.refreshedAt === undefined || checkpoint.refreshedAt + cadence <= this.clock.now();
  }

  private planInput(checkpoint: Checkpoint, timeframe: Timeframe, now: number, tracked: boolean): PlanInput {
    return {
      symbol: checkpoint.symbol,
      timeframe,
      now,
      windowMs: this.settings.windows[timeframe.value],
      revisionMs: this.settings.revisionMs,
      tracked,
      covered: checkpoint.covered,
      requested: checkpoint.requested,
      forced: checkpoint.forced,
    };
  }

  private async progressOf(key: JobKey, timeframe: Timeframe, tracked: boolean): Promise<number> {
    const checkpoint = (await this.checkpoints.find(key))!;
    return progressPercent(this.planInput(checkpoint, timeframe, this.clock.now(), tracked));
  }

  /** Sorts an error that ended a run and stores how the job continues: a lookup on the error's disposition. */
  private async failed(key: JobKey, checkpoint: Checkpoint, error: unknown, options: RunOptions): Promise<RunEnd> {
    const now = this.clock.now();
    if (error instanceof RunInterrupted) {
      await this.end(key, { state: 'pending', nextRunAt: now, lastError: checkpoint.lastError ?? null, failed: false });
      return { outcome: error.outcome };
    }
    if (!(error instanceof ProviderError)) return this.internalFailure(key, checkpoint, error, options, now);
    const message = error.message;
    const disposition: ProviderErrorDisposition = error.disposition;
    switch (disposition) {
      case 'permanent':
        // E.g. the provider does not know this symbol (or refuses the request as such): asking again cannot help.
        await this.end(key, { state: 'failed', lastError: message, failed: true });
        return { outcome: 'failed', error: message, errorKind: error.kind };
      case 'halt-all':
        this.halt.trip(message, now);
        await this.end(key, { state: 'retrying', nextRunAt: now, lastError: message, failed: true });
        return { outcome: 'halted', error: message, errorKind: error.kind };
      case 'retry':
        return this.retryLater(key, checkpoint, message, error.kind, now);
      case 'pause':
        // Not a failure of this job: due again after the first retry step, with no attempt counted.
        await this.end(key, { state: 'pending', nextRunAt: now + RETRY_BASE_MS, lastError: message, failed: false });
        return { outcome: 'paused', error: message, errorKind: error.kind };
      default:
        return unhandledDisposition(disposition);
    }
  }

  /** An error that is not the provider's: paused while the database is away, stopped on shutdown, else retried. */
  private async internalFailure(key: JobKey, checkpoint: Checkpoint, error: unknown, options: RunOptions, now: number): Promise<RunEnd> {
    const other = await this.unexpected(error, options);
    switch (other.outcome) {
      case 'paused':
        // Nothing is stored: the database is what went away.
        return other;
      case 'stopped':
        await this.end(key, { state: 'pending', nextRunAt: now, lastError: checkpoint.lastError ?? null, failed: false });
        return other;
      default:
        return this.retryLater(key, checkpoint, messageOf(error), 'internal', now);
    }
  }

  /** One more failed attempt: retried with backoff, or failed for good after BACKFILL_MAX_ATTEMPTS in a row. */
  private async retryLater(key: JobKey, checkpoint: Checkpoint, message: string, errorKind: string, now: number): Promise<RunEnd> {
    const failures = checkpoint.consecutiveFailures + 1;
    if (failures >= this.settings.maxAttempts) {
      const reason = `${message} (${failures} failed runs in a row; POST /api/v1/symbol/${key.symbol}/backfill retries it)`;
      await this.end(key, { state: 'failed', lastError: reason, failed: true });
      return { outcome: 'failed', error: reason, errorKind };
    }
    const retryIn = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
    await this.end(key, { state: 'retrying', nextRunAt: now + retryIn, lastError: message, failed: true });
    return {
      outcome: 'retrying',
      error: `${message}; retry ${failures} of ${this.settings.maxAttempts - 1} in ${Math.round(retryIn / 1000)} s`,
      errorKind,
    };
  }

  /** An error that is not the provider's: the database went away (pause), shutdown (stop) or a bug (retry). */
  private async unexpected(error: unknown, options: RunOptions): Promise<RunEnd> {
    const message = messageOf(error);
    const status = await this.database.status();
    if (!status.connected) return { outcome: 'paused', error: `database unavailable: ${status.error ?? message}`, errorKind: 'database' };
    if (options.signal?.aborted) return { outcome: 'stopped' };
    return { outcome: 'retrying', error: message, errorKind: kindOf(error) };
  }

  private async end(key: JobKey, ending: Omit<RunEnding, 'finishedAt'>): Promise<void> {
    await this.checkpoints.finish(key, { ...ending, finishedAt: this.clock.now() });
  }

  /** One line and one metric record per run. */
  private finished(report: JobRunReport): void {
    this.metrics.record(report);
    this.logger[levelOf(report)](runLine(report));
  }
}

/**
 * `1m backfill: SPY - 19,366 candles in 3.3s (done; 6 requests, 3 windows; 100% of its history covered)`:
 * the timeframe first, so a 1m run reads as one; `refresh` when only the recent window was re-read.
 */
export function runLine(report: JobRunReport): string {
  const kind = report.chunks === 0 && report.refreshed ? 'refresh' : 'backfill';
  const details = [
    report.outcome,
    `${report.requests} request(s), ${report.chunks} window(s)${report.refreshed && kind === 'backfill' ? ', refreshed' : ''}${report.forced ? ', forced re-read' : ''}`,
    `${report.progressPercent}% of its history covered`,
    ...(report.error ? [report.error] : []),
  ];
  return `${report.timeframe} ${kind}: ${report.symbol} - ${report.bars.toLocaleString('en-US')} candles in ${(report.durationMs / 1000).toFixed(1)}s (${details.join('; ')})`;
}

/** The part of requested ranges that is not final yet: fetched by explicit runs, never covered. */
function requestedTail(requested: readonly TimeRange[], final: number, now: number): TimeRange[] {
  return requested
    .map((range) => ({ start: Math.max(range.start, final), end: Math.min(range.end, now) }))
    .filter((range) => range.end > range.start);
}

function levelOf(report: JobRunReport): 'log' | 'warn' | 'error' | 'debug' {
  switch (report.outcome) {
    case 'failed':
    case 'halted':
      return 'error';
    case 'retrying':
    case 'paused':
      return 'warn';
    case 'busy':
    case 'skipped':
      return 'debug';
    default:
      // Routine refreshes stay at debug; a run that fetched history (or was cut short) is worth a line.
      return report.chunks > 0 || report.outcome !== 'done' ? 'log' : 'debug';
  }
}

function kindOf(error: unknown): string {
  return error instanceof ProviderError ? error.kind : 'internal';
}

/** Exhaustiveness: a disposition added to the port without a case here fails to compile. */
function unhandledDisposition(disposition: never): never {
  throw new Error(`no handling for provider error disposition "${String(disposition)}"`);
}
