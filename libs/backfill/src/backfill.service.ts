import { Inject, Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, InvalidFieldError, Timeframe, type TimeframeValue } from '@app/core';
import { IngestionDisabledError, IngestionStatus } from '@app/ingestion';
import { NotTrackedError, TrackedSymbolRepository } from '@app/market-data';
import { type JobKey, jobName } from './backfill-checkpoint';
import { BackfillCheckpointRepository } from './backfill-checkpoint.repository';
import { BackfillJobQueue } from './backfill-job.queue';
import { windowStart } from './backfill-plan';
import { BackfillSettings } from './backfill-settings';
import { RUN_SLICE_MS } from './backfill.scheduler';
import type { JobProgress, JobRunReport } from './job-run-report';
import { ProviderHalt } from './provider-halt';

/** What POST .../backfill and the CLI ask for. Times Unix ms; omitted: the history window, up to now. */
export interface BackfillRequest {
  timeframes?: readonly string[];
  from?: number;
  to?: number;
  /** Read the whole range from the provider again, even what is already fetched (after a provider correction). */
  force?: boolean;
}

export interface ExplicitRun {
  symbols: readonly string[];
  /** Omitted: each symbol's tracked timeframes, else DEFAULT_TIMEFRAMES. */
  timeframes?: readonly string[];
  from?: number;
  to?: number;
  force?: boolean;
  /** Called once with every job the run will do, before any starts. */
  onPlanned?: (jobs: readonly JobKey[]) => void;
  onProgress?: (progress: JobProgress) => void;
}

/** When an explicit run looks at a job again: busy (another process runs it) or after a failed attempt. */
const AGAIN_AFTER_MS: Partial<Record<JobRunReport['outcome'], number>> = { busy: 2_000, retrying: 5_000, incomplete: 0 };
/** Outcomes after which an explicit run is over. */
const FINAL_OUTCOMES = new Set<JobRunReport['outcome']>(['done', 'failed', 'halted', 'paused', 'stopped', 'skipped']);

/** Backfills asked for by hand: the write route and the CLI. Both persist what they ask, so a restart resumes it. */
@Injectable()
export class BackfillService {
  constructor(
    private readonly settings: BackfillSettings,
    private readonly config: AppConfigService,
    private readonly trackedSymbols: TrackedSymbolRepository,
    private readonly checkpoints: BackfillCheckpointRepository,
    private readonly queue: BackfillJobQueue,
    private readonly halt: ProviderHalt,
    private readonly ingestion: IngestionStatus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * POST /api/v1/symbol/{symbol}/backfill: the symbol must be tracked and the timeframes
   * among its own. Records the range (when given), makes the jobs due now and queues them
   * on this instance; returns the jobs started.
   */
  async request(symbol: string, request: BackfillRequest): Promise<JobKey[]> {
    this.requireIngestion();
    const tracked = await this.trackedSymbols.findOne(symbol);
    if (!tracked) throw new NotTrackedError(symbol, '; track it with POST /api/v1/symbols first');
    const timeframes =
      request.timeframes === undefined ? tracked.timeframes : this.config.parseTimeframes(request.timeframes, 'timeframes');
    const untracked = timeframes.filter((tf) => !tracked.timeframes.includes(tf));
    if (untracked.length) {
      throw new InvalidFieldError(
        'timeframes',
        `${untracked.join(', ')} ${untracked.length === 1 ? 'is' : 'are'} not tracked for ${symbol} (tracked: ${tracked.timeframes.join(', ')}); add with PUT /api/v1/symbol/${symbol}/timeframes`,
      );
    }
    const now = this.clock.now();
    this.checkRange(request, now);
    const keys = timeframes.map((timeframe) => ({ symbol, timeframe }));
    for (const key of keys) await this.record(key, request, now, request.from !== undefined || request.to !== undefined);
    this.halt.clear();
    for (const key of keys) this.queue.enqueue(key, { tracked: true, sliceMs: RUN_SLICE_MS });
    return keys;
  }

  /**
   * The CLI: backfills [from, to) of each symbol and timeframe in this process and resolves
   * with one final report per job. Tracked or not, only the asked range is fetched (the
   * scheduler keeps tracked ones fresh). A job another process is running is waited for.
   */
  async run(run: ExplicitRun): Promise<JobRunReport[]> {
    this.requireIngestion();
    const now = this.clock.now();
    this.checkRange(run, now);
    const keys: JobKey[] = [];
    for (const symbol of run.symbols) {
      const timeframes =
        run.timeframes === undefined ? await this.timeframesOf(symbol) : this.config.parseTimeframes(run.timeframes, 'timeframes');
      keys.push(...timeframes.map((timeframe) => ({ symbol, timeframe })));
    }
    for (const key of keys) await this.record(key, run, now, true);
    this.halt.clear();
    run.onPlanned?.(keys);
    return this.runToEnd(keys, run.onProgress);
  }

  private runToEnd(keys: readonly JobKey[], onProgress?: (progress: JobProgress) => void): Promise<JobRunReport[]> {
    const pending = new Map(keys.map((key) => [jobName(key), key]));
    const finals = new Map<string, JobRunReport>();
    const options = { tracked: false, fetchRequestedTail: true };
    return new Promise((resolve) => {
      const progress = onProgress ? this.queue.progress.subscribe((p) => pending.has(jobName(p)) && onProgress(p)) : undefined;
      const reports = this.queue.reports.subscribe((report) => {
        const name = jobName(report);
        if (!pending.has(name)) return;
        if (!FINAL_OUTCOMES.has(report.outcome)) {
          setTimeout(
            () => this.queue.enqueue({ symbol: report.symbol, timeframe: report.timeframe }, options),
            AGAIN_AFTER_MS[report.outcome] ?? 0,
          );
          return;
        }
        finals.set(name, report);
        pending.delete(name);
        if (pending.size) return;
        reports.unsubscribe();
        progress?.unsubscribe();
        resolve(keys.map((key) => finals.get(jobName(key))!));
      });
      for (const key of keys) this.queue.enqueue(key, options);
    });
  }

  /**
   * Stores the asked range so a restart resumes it; untracked jobs and explicit ranges need it.
   * A forced request also stores the range as `forced`, so the re-read survives a restart and
   * is not lost when the job is already queued or running (the queue runs it once more).
   */
  private async record(
    key: JobKey,
    request: Pick<BackfillRequest, 'from' | 'to' | 'force'>,
    now: number,
    explicit: boolean,
  ): Promise<void> {
    const timeframe = Timeframe.of(key.timeframe);
    const from = request.from ?? windowStart({ timeframe, now, windowMs: this.settings.windows[key.timeframe] });
    const to = Math.min(request.to ?? now, now);
    const range = { start: timeframe.bucketStart(from), end: to };
    const none = { start: to, end: to };
    await this.checkpoints.request(key, explicit ? range : none, now, request.force ? range : none);
  }

  private checkRange(request: Pick<BackfillRequest, 'from' | 'to'>, now: number): void {
    if (request.from !== undefined && request.from >= now) {
      throw new InvalidFieldError('from', `must be in the past, got ${new Date(request.from).toISOString()}`);
    }
    if (request.from !== undefined && request.to !== undefined && request.from >= request.to) {
      throw new InvalidFieldError(
        'from',
        `must be before to (${new Date(request.to).toISOString()}); got ${new Date(request.from).toISOString()}`,
      );
    }
  }

  private async timeframesOf(symbol: string): Promise<TimeframeValue[]> {
    const tracked = await this.trackedSymbols.findOne(symbol);
    return tracked ? tracked.timeframes : [...this.config.defaultTimeframes];
  }

  private requireIngestion(): void {
    if (!this.ingestion.enabled) throw new IngestionDisabledError(this.ingestion.reason ?? 'no provider', this.ingestion.howToEnable);
  }
}
