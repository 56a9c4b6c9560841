import { Logger } from '@nestjs/common';
import { AppConfigService, type Env } from '@app/config';
import type { JobKey } from './backfill-checkpoint';
import { BackfillJobQueue, type QueuedRunOptions } from './backfill-job.queue';
import type { BackfillJobRunner, RunOptions } from './backfill-job.runner';
import { BackfillSettings } from './backfill-settings';
import type { JobProgress, JobRunReport, RunOutcome } from './job-run-report';
import { ProviderHalt } from './provider-halt';

/**
 * Fast tier: the queue over a fake runner whose runs end when the test says so. No
 * database, no timers except the one shutdown-grace case; the database e2e specs
 * (apps/api/test/backfill*.e2e-spec.ts) cover the queue with the real runner.
 */

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** One call of the fake runner, ended by the test. */
class FakeRun {
  private readonly ending = deferred<JobRunReport>();
  ended = false;

  constructor(
    readonly key: JobKey,
    readonly options: RunOptions,
  ) {}

  get name(): string {
    return `${this.key.symbol} ${this.key.timeframe}`;
  }

  get aborted(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  get result(): Promise<JobRunReport> {
    return this.ending.promise;
  }

  finish(outcome: RunOutcome = 'done'): void {
    if (this.ended) return;
    this.ended = true;
    this.ending.resolve(reportOf(this.key, outcome));
  }

  /** The real runner reports every ending itself; a rejection is a bug the queue must survive. */
  crash(error: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.ending.reject(error);
  }
}

/** Stands in for BackfillJobRunner: records every run, counts how many are in flight. */
class FakeRunner implements Pick<BackfillJobRunner, 'run'> {
  readonly runs: FakeRun[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Names of jobs seen running twice at the same time. */
  readonly overlaps: string[] = [];
  private readonly inFlightNames = new Set<string>();

  /** @param stopsOnAbort end an aborted run as `stopped` at once (the real runner does so at its next window). */
  constructor(private readonly stopsOnAbort = true) {}

  run(key: JobKey, options: RunOptions): Promise<JobRunReport> {
    const run = new FakeRun(key, options);
    this.runs.push(run);
    if (this.inFlightNames.has(run.name)) this.overlaps.push(run.name);
    this.inFlightNames.add(run.name);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.stopsOnAbort) options.signal?.addEventListener('abort', () => run.finish('stopped'), { once: true });
    const settled = () => {
      this.inFlight--;
      this.inFlightNames.delete(run.name);
    };
    return run.result.then(
      (report) => {
        settled();
        return report;
      },
      (error: unknown) => {
        settled();
        throw error;
      },
    );
  }

  get started(): string[] {
    return this.runs.map((run) => run.name);
  }

  /** The run of `name` still in flight (the latest one if it ran before). */
  current(name: string): FakeRun {
    const run = [...this.runs].reverse().find((r) => r.name === name && !r.ended);
    if (!run) throw new Error(`${name} is not running; started: ${this.started.join(', ')}`);
    return run;
  }
}

/** The queue with a shutdown grace short enough for a unit spec. */
class QuickShutdownQueue extends BackfillJobQueue {
  protected override readonly shutdownGraceMs = 20;
}

function reportOf(key: JobKey, outcome: RunOutcome): JobRunReport {
  return {
    ...key,
    outcome,
    chunks: 0,
    requests: 0,
    bars: 0,
    written: 0,
    durationMs: 0,
    refreshed: false,
    forced: false,
    progressPercent: 0,
  };
}

function settingsOf(env: Env): BackfillSettings {
  return new BackfillSettings(AppConfigService.from(env));
}

interface Setup {
  queue: BackfillJobQueue;
  runner: FakeRunner;
  halt: ProviderHalt;
  reports: JobRunReport[];
}

function setup({
  env = {},
  stopsOnAbort = true,
  quickShutdown = false,
}: { env?: Env; stopsOnAbort?: boolean; quickShutdown?: boolean } = {}): Setup {
  const runner = new FakeRunner(stopsOnAbort);
  const halt = new ProviderHalt();
  const Queue = quickShutdown ? QuickShutdownQueue : BackfillJobQueue;
  const queue = new Queue(runner, settingsOf(env), halt);
  const reports: JobRunReport[] = [];
  queue.reports.subscribe((report) => reports.push(report));
  return { queue, runner, halt, reports };
}

/** Lets every settled run reach the queue (its then/finally chain is all microtasks). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether `promise` has settled by now, without waiting for it. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await flush();
  return settled;
}

const job = (symbol: string, timeframe: JobKey['timeframe'] = '1m'): JobKey => ({ symbol, timeframe });
const TRACKED: QueuedRunOptions = { tracked: true, sliceMs: 60_000 };
const EXPLICIT: QueuedRunOptions = { tracked: false, fetchRequestedTail: true };

beforeAll(() => Logger.overrideLogger(false)); // the halt's error line is expected here

describe('BackfillJobQueue concurrency', () => {
  it('runs at most BACKFILL_CONCURRENCY jobs at once, starting them in the order they were queued', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '2' } });
    for (const symbol of ['A', 'B', 'C', 'D', 'E']) queue.enqueue(job(symbol), TRACKED);
    await flush();
    expect(runner.started).toEqual(['A 1m', 'B 1m']);
    expect(queue.runningJobs).toEqual([job('A'), job('B')]);

    runner.current('B 1m').finish();
    await flush();
    expect(runner.started).toEqual(['A 1m', 'B 1m', 'C 1m']);
    expect(queue.runningJobs).toEqual([job('A'), job('C')]);

    while (runner.inFlight) {
      runner.runs.find((run) => !run.ended)!.finish();
      await flush();
    }
    expect(runner.started).toEqual(['A 1m', 'B 1m', 'C 1m', 'D 1m', 'E 1m']);
    expect(runner.maxInFlight).toBe(2);
    expect(await hasSettled(queue.whenIdle())).toBe(true);
  });

  it('never runs more jobs than half the database pool, whatever BACKFILL_CONCURRENCY says', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '8', DATABASE_POOL_SIZE: '6' } });
    for (const symbol of ['A', 'B', 'C', 'D', 'E']) queue.enqueue(job(symbol), TRACKED);
    await flush();
    expect(runner.started).toEqual(['A 1m', 'B 1m', 'C 1m']);
    runner.current('A 1m').finish();
    await flush();
    expect(runner.inFlight).toBe(3);
    expect(runner.maxInFlight).toBe(3);
  });

  it('passes the queued options through, with its own abort signal and a progress hook that feeds `progress`', async () => {
    const { queue, runner } = setup();
    const progress: JobProgress[] = [];
    queue.progress.subscribe((p) => progress.push(p));
    queue.enqueue(job('A'), EXPLICIT);
    await flush();
    const run = runner.current('A 1m');
    expect(run.options).toMatchObject(EXPLICIT);
    expect(run.aborted).toBe(false);
    const step: JobProgress = { ...job('A'), progressPercent: 50, chunksDone: 1, chunksPlanned: 2, bars: 10, requests: 1 };
    run.options.onProgress!(step);
    expect(progress).toEqual([step]);
  });

  it('frees the slot of a run that rejects and publishes no report for it', async () => {
    const { queue, runner, reports } = setup({ env: { BACKFILL_CONCURRENCY: '1' } });
    queue.enqueue(job('A'), TRACKED);
    queue.enqueue(job('B'), TRACKED);
    await flush();
    runner.current('A 1m').crash(new Error('a bug in the runner'));
    await flush();
    expect(runner.started).toEqual(['A 1m', 'B 1m']);
    runner.current('B 1m').finish('incomplete');
    await flush();
    expect(reports.map((r) => [r.symbol, r.outcome])).toEqual([['B', 'incomplete']]);
    expect(await hasSettled(queue.whenIdle())).toBe(true);
  });

  it('queues each job once: asking for a waiting job again keeps its place and its first options', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '1' } });
    queue.enqueue(job('A'), TRACKED);
    queue.enqueue(job('B'), TRACKED);
    queue.enqueue(job('C'), TRACKED);
    queue.enqueue(job('B'), EXPLICIT);
    await flush();
    runner.current('A 1m').finish();
    await flush();
    expect(runner.current('B 1m').options).toMatchObject(TRACKED);
    runner.current('B 1m').finish();
    await flush();
    runner.current('C 1m').finish();
    await flush();
    expect(runner.started).toEqual(['A 1m', 'B 1m', 'C 1m']);
  });

  it('tells timeframes of one symbol apart', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '2' } });
    queue.enqueue(job('A', '1m'), TRACKED);
    queue.enqueue(job('A', '1h'), TRACKED);
    await flush();
    expect(runner.started).toEqual(['A 1m', 'A 1h']);
  });
});

describe('BackfillJobQueue asked again while running', () => {
  it('runs the job once more after the run ends, never beside itself, with the options of the last ask', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '4' } });
    queue.enqueue(job('A'), TRACKED);
    await flush();
    queue.enqueue(job('A'), EXPLICIT);
    queue.enqueue(job('A'), { tracked: false });
    await flush();
    // Free slots, yet the second run waits for the first: the first one's plan predates the ask.
    expect(runner.started).toEqual(['A 1m']);
    expect(queue.runningJobs).toEqual([job('A')]);

    runner.current('A 1m').finish();
    await flush();
    expect(runner.started).toEqual(['A 1m', 'A 1m']);
    expect(runner.runs[1].options).toMatchObject({ tracked: false });
    expect(runner.runs[1].options.fetchRequestedTail).toBeUndefined();
    expect(await hasSettled(queue.whenIdle())).toBe(false);

    runner.current('A 1m').finish();
    await flush();
    expect(runner.started).toEqual(['A 1m', 'A 1m']); // many asks, one more run
    expect(runner.overlaps).toEqual([]);
    expect(await hasSettled(queue.whenIdle())).toBe(true);
  });

  it('puts the extra run behind jobs that were already waiting', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '1' } });
    queue.enqueue(job('A'), TRACKED);
    queue.enqueue(job('B'), TRACKED);
    await flush();
    queue.enqueue(job('A'), TRACKED);
    runner.current('A 1m').finish();
    await flush();
    expect(runner.started).toEqual(['A 1m', 'B 1m']);
    runner.current('B 1m').finish();
    await flush();
    expect(runner.started).toEqual(['A 1m', 'B 1m', 'A 1m']);
  });

  it('runs once more even when the run that was asked again failed', async () => {
    const { queue, runner } = setup();
    queue.enqueue(job('A'), TRACKED);
    await flush();
    queue.enqueue(job('A'), TRACKED);
    runner.current('A 1m').crash(new Error('boom'));
    await flush();
    expect(runner.started).toEqual(['A 1m', 'A 1m']);
  });
});

describe('BackfillJobQueue cancel', () => {
  it('drops matching waiting jobs and aborts matching running ones; the others carry on', async () => {
    const { queue, runner, reports } = setup({ env: { BACKFILL_CONCURRENCY: '2' } });
    queue.enqueue(job('AAPL', '1m'), TRACKED);
    queue.enqueue(job('MSFT', '1m'), TRACKED);
    queue.enqueue(job('AAPL', '1h'), TRACKED);
    queue.enqueue(job('IBM', '1m'), TRACKED);
    await flush();

    queue.cancel((key) => key.symbol === 'AAPL');
    await flush();
    // AAPL 1m was aborted (and stopped), AAPL 1h never ran, IBM took the freed slot.
    expect(runner.runs[0].aborted).toBe(true);
    expect(runner.runs[1].aborted).toBe(false);
    expect(runner.started).toEqual(['AAPL 1m', 'MSFT 1m', 'IBM 1m']);
    expect(reports).toEqual([expect.objectContaining({ symbol: 'AAPL', timeframe: '1m', outcome: 'stopped' })]);

    runner.current('MSFT 1m').finish();
    runner.current('IBM 1m').finish();
    await flush();
    expect(runner.started).not.toContain('AAPL 1h');
    expect(await hasSettled(queue.whenIdle())).toBe(true);
  });

  it('matches on the options a job was queued with', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '1' } });
    queue.enqueue(job('A'), EXPLICIT);
    queue.enqueue(job('B'), TRACKED);
    queue.enqueue(job('C'), EXPLICIT);
    await flush();
    queue.cancel((_key, options) => options.tracked);
    runner.current('A 1m').finish();
    await flush();
    runner.current('C 1m').finish();
    await flush();
    expect(runner.started).toEqual(['A 1m', 'C 1m']);
    expect(runner.runs[0].aborted).toBe(false);
  });

  it('keeps the slot of an aborted job until its run has actually stopped', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '1' }, stopsOnAbort: false });
    queue.enqueue(job('A'), TRACKED);
    queue.enqueue(job('B'), TRACKED);
    await flush();
    queue.cancel((key) => key.symbol === 'A');
    await flush();
    expect(runner.current('A 1m').aborted).toBe(true);
    expect(runner.started).toEqual(['A 1m']);
    expect(queue.runningJobs).toEqual([job('A')]);

    runner.current('A 1m').finish('stopped');
    await flush();
    expect(runner.started).toEqual(['A 1m', 'B 1m']);
    expect(runner.maxInFlight).toBe(1);
  });

  it('forgets a pending ask-again of the job it aborts', async () => {
    const { queue, runner } = setup();
    queue.enqueue(job('A'), TRACKED);
    await flush();
    queue.enqueue(job('A'), TRACKED);
    queue.cancel(() => true);
    await flush();
    expect(runner.started).toEqual(['A 1m']);
    expect(await hasSettled(queue.whenIdle())).toBe(true);
  });

  it('resolves whenIdle once cancelling leaves nothing waiting or running', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '1' }, stopsOnAbort: false });
    queue.enqueue(job('A'), TRACKED);
    queue.enqueue(job('B'), TRACKED);
    await flush();
    const idle = queue.whenIdle();
    queue.cancel((key) => key.symbol === 'B');
    expect(await hasSettled(idle)).toBe(false);
    runner.current('A 1m').finish();
    expect(await hasSettled(idle)).toBe(true);
  });

  it('cancels everything when the provider halts, and refuses new jobs until the halt is cleared', async () => {
    const { queue, runner, halt } = setup({ env: { BACKFILL_CONCURRENCY: '1' } });
    queue.enqueue(job('A'), TRACKED);
    queue.enqueue(job('B'), TRACKED);
    await flush();
    queue.enqueue(job('A'), TRACKED); // asked again: the halt must not let it run again

    halt.trip('not authorized', 0);
    await flush();
    expect(runner.runs[0].aborted).toBe(true);
    queue.enqueue(job('C'), TRACKED);
    await flush();
    expect(runner.started).toEqual(['A 1m']);
    expect(await hasSettled(queue.whenIdle())).toBe(true);

    halt.clear();
    queue.enqueue(job('C'), TRACKED);
    await flush();
    expect(runner.started).toEqual(['A 1m', 'C 1m']);
  });
});

describe('BackfillJobQueue shutdown', () => {
  it('aborts running jobs, drops waiting ones, and waits until the running ones have stopped', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '1' }, stopsOnAbort: false });
    queue.enqueue(job('A'), TRACKED);
    queue.enqueue(job('B'), TRACKED);
    await flush();
    queue.enqueue(job('A'), TRACKED);

    queue.onModuleDestroy();
    const shutdown = queue.beforeApplicationShutdown();
    expect(runner.current('A 1m').aborted).toBe(true);
    expect(await hasSettled(shutdown)).toBe(false);

    runner.current('A 1m').finish('stopped');
    await shutdown;
    // Neither the waiting job nor the asked-again one started.
    expect(runner.started).toEqual(['A 1m']);
    expect(queue.runningJobs).toEqual([]);
  });

  it('starts nothing once shutting down', async () => {
    const { queue, runner } = setup({ stopsOnAbort: false });
    queue.enqueue(job('A'), TRACKED);
    await flush();
    queue.onModuleDestroy();
    queue.enqueue(job('B'), TRACKED);
    queue.enqueue(job('A'), TRACKED);
    runner.current('A 1m').finish('stopped');
    await queue.beforeApplicationShutdown();
    queue.enqueue(job('C'), TRACKED);
    await flush();
    expect(runner.started).toEqual(['A 1m']);
    expect(await hasSettled(queue.whenIdle())).toBe(true);
  });

  it('returns at once when nothing runs', async () => {
    const { queue } = setup();
    queue.onModuleDestroy();
    expect(await hasSettled(queue.beforeApplicationShutdown())).toBe(true);
  });

  it('stops waiting after the grace period when a job does not stop, and still starts nothing after', async () => {
    const { queue, runner } = setup({ env: { BACKFILL_CONCURRENCY: '1' }, stopsOnAbort: false, quickShutdown: true });
    queue.enqueue(job('A'), TRACKED);
    queue.enqueue(job('B'), TRACKED);
    await flush();

    queue.onModuleDestroy();
    await queue.beforeApplicationShutdown(); // a real (20 ms) timer; the test times out if it never gives up
    expect(runner.current('A 1m').ended).toBe(false);
    expect(queue.runningJobs).toEqual([job('A')]);

    runner.current('A 1m').finish('stopped');
    await flush();
    expect(runner.started).toEqual(['A 1m']);
    expect(queue.runningJobs).toEqual([]);
  }, 5_000);
});
