import { BeforeApplicationShutdown, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { type JobKey, jobName } from './backfill-checkpoint';
import { BackfillJobRunner, RunOptions } from './backfill-job.runner';
import { BackfillSettings } from './backfill-settings';
import type { JobProgress, JobRunReport } from './job-run-report';
import { ProviderHalt } from './provider-halt';

/** Options a queued job runs with; the queue adds the abort signal. */
export type QueuedRunOptions = Omit<RunOptions, 'signal' | 'onProgress'>;

interface QueuedJob {
  key: JobKey;
  options: QueuedRunOptions;
}

interface RunningJob extends QueuedJob {
  controller: AbortController;
  /** Asked for again while running: run once more when this run ends (its plan was made before the ask). */
  again?: QueuedRunOptions;
}

/** How long shutdown waits for running jobs to reach a safe point before the database closes. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * This instance's job slots: at most BACKFILL_CONCURRENCY jobs at once, each (symbol,
 * timeframe) queued once. Jobs still take their advisory lock, so two instances queueing
 * the same job run it once. A "not authorized" halt cancels everything.
 */
@Injectable()
export class BackfillJobQueue implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly waiting: QueuedJob[] = [];
  private readonly running = new Map<string, RunningJob>();
  private readonly reportStream = new Subject<JobRunReport>();
  private readonly progressStream = new Subject<JobProgress>();
  private idleWaiters: (() => void)[] = [];
  private stopping = false;
  /** How long shutdown waits; a unit spec's subclass shortens it. */
  protected readonly shutdownGraceMs: number = SHUTDOWN_GRACE_MS;

  constructor(
    // Only `run` is used, so a unit spec can hand in a small fake runner.
    @Inject(BackfillJobRunner) private readonly runner: Pick<BackfillJobRunner, 'run'>,
    private readonly settings: BackfillSettings,
    private readonly halt: ProviderHalt,
  ) {
    halt.onTrip(() => this.cancel(() => true));
  }

  /** Every finished run. */
  get reports(): Observable<JobRunReport> {
    return this.reportStream.asObservable();
  }

  /** Every fetched window of every run. */
  get progress(): Observable<JobProgress> {
    return this.progressStream.asObservable();
  }

  get runningJobs(): JobKey[] {
    return [...this.running.values()].map((job) => job.key);
  }

  isQueued(key: JobKey): boolean {
    return this.running.has(jobName(key)) || this.waiting.some((job) => jobName(job.key) === jobName(key));
  }

  enqueue(key: JobKey, options: QueuedRunOptions): void {
    // A refused key stops everything until someone clears the halt (an explicit run does).
    if (this.stopping || this.halt.active) return;
    const name = jobName(key);
    const running = this.running.get(name);
    if (running) {
      running.again = options;
      return;
    }
    if (this.waiting.some((job) => jobName(job.key) === name)) return;
    this.waiting.push({ key, options });
    this.pump();
  }

  /** Drops waiting jobs and aborts running ones (at their next window) that match. */
  cancel(matches: (key: JobKey, options: QueuedRunOptions) => boolean): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (matches(this.waiting[i].key, this.waiting[i].options)) this.waiting.splice(i, 1);
    }
    for (const job of this.running.values()) {
      if (!matches(job.key, job.options)) continue;
      job.again = undefined;
      job.controller.abort();
    }
    this.settleIdle();
  }

  /** Resolves once nothing is waiting or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  onModuleDestroy(): void {
    this.stopping = true;
    this.cancel(() => true);
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Let running jobs record where they stopped while the database is still open.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.whenIdle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, this.shutdownGraceMs)))]);
    clearTimeout(timer);
  }

  private get isIdle(): boolean {
    return this.waiting.length === 0 && this.running.size === 0;
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.settings.concurrency && this.waiting.length) {
      const next = this.waiting.shift()!;
      this.start(next);
    }
    this.settleIdle();
  }

  private start(job: QueuedJob): void {
    const running: RunningJob = { ...job, controller: new AbortController() };
    this.running.set(jobName(job.key), running);
    void this.runner
      .run(job.key, { ...job.options, signal: running.controller.signal, onProgress: (p) => this.progressStream.next(p) })
      .then(
        (report) => this.reportStream.next(report),
        () => undefined, // run() reports every ending itself
      )
      .finally(() => {
        this.running.delete(jobName(job.key));
        if (running.again && !this.stopping && !this.halt.active) this.waiting.push({ key: job.key, options: running.again });
        this.pump();
      });
  }

  private settleIdle(): void {
    if (!this.isIdle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
