import { Logger } from '@nestjs/common';
import { AppConfigService, type Env } from '@app/config';
import { type Clock, subtract, type TimeframeValue, type TimeRange, union } from '@app/core';
import type { IngestionResult } from '@app/ingestion';
import { CapturingLogger } from '@app/polygon/testing';
import {
  ProviderBadPayloadError,
  ProviderError,
  type ProviderErrorDisposition,
  ProviderNotAuthorizedError,
  ProviderNotConfiguredError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnavailableError,
} from '@app/provider';
import type { Checkpoint, ChunkTotals, JobKey } from './backfill-checkpoint';
import type { RunEnding } from './backfill-checkpoint.repository';
import {
  BackfillJobRunner,
  type RunOptions,
  type RunnerCheckpoints,
  type RunnerDatabase,
  type RunnerIngestion,
  type RunnerLock,
  type RunnerMetrics,
} from './backfill-job.runner';
import type { WindowPlanner } from './backfill-plan';
import { BackfillSettings } from './backfill-settings';
import type { JobRunReport } from './job-run-report';
import { ProviderHalt } from './provider-halt';

/**
 * Fast tier: how the runner ends a run on each kind of error, over in-memory fakes (no
 * database, no provider, no timers). The database e2e specs (apps/api/test/backfill*.e2e-spec.ts)
 * run the same runner against PostgreSQL and the fake Polygon server.
 */

/** Friday 2024-03-15 11:00 New York: everything requested below is final. */
const NOW = Date.parse('2024-03-15T15:00:00Z');
const MINUTE = 60_000;
const AAPL: JobKey = { symbol: 'AAPL', timeframe: '1h' };
const MSFT: JobKey = { symbol: 'MSFT', timeframe: '1h' };
/** Monday and Tuesday of that week: two provider windows of one day each, both with an open market. */
const REQUESTED: TimeRange = { start: Date.parse('2024-03-11T00:00:00Z'), end: Date.parse('2024-03-13T00:00:00Z') };
const MAX_ATTEMPTS = 3;

const logger = new CapturingLogger();
Logger.overrideLogger(logger);

const name = (key: JobKey): string => `${key.symbol} ${key.timeframe}`;

/** The rows of backfill_checkpoints, in memory, with the repository's update rules. */
class FakeCheckpoints implements RunnerCheckpoints {
  private readonly rows = new Map<string, Checkpoint>();
  /** Every run ending as stored, in order. */
  readonly endings: (RunEnding & JobKey)[] = [];

  seed(key: JobKey, patch: Partial<Checkpoint>): void {
    this.rows.set(name(key), { ...this.row(key), ...patch });
  }

  get(key: JobKey): Checkpoint {
    return structuredClone(this.row(key));
  }

  async ensure(keys: readonly JobKey[]): Promise<void> {
    for (const key of keys) this.rows.set(name(key), this.row(key));
  }

  async find(key: JobKey): Promise<Checkpoint | undefined> {
    const row = this.rows.get(name(key));
    return row && structuredClone(row);
  }

  async markRunning(key: JobKey, instance: string, now: number): Promise<void> {
    this.update(key, { state: 'running', runningOn: instance, lastStartedAt: now });
  }

  async markRefreshed(key: JobKey, at: number): Promise<void> {
    this.update(key, { refreshedAt: at });
  }

  async cover(key: JobKey, range: TimeRange | undefined, totals: ChunkTotals, reread?: TimeRange): Promise<void> {
    const row = this.row(key);
    this.update(key, {
      covered: range && range.end > range.start ? union(row.covered, [range]) : row.covered,
      forced: reread ? subtract(row.forced, [reread]) : row.forced,
      bars: row.bars + totals.bars,
      requests: row.requests + totals.requests,
    });
  }

  async finish(key: JobKey, ending: RunEnding): Promise<void> {
    this.endings.push({ ...key, ...ending });
    const row = this.row(key);
    this.update(key, {
      state: ending.state,
      nextRunAt: ending.nextRunAt,
      lastError: ending.lastError ?? undefined,
      errors: row.errors + (ending.failed ? 1 : 0),
      consecutiveFailures: ending.failed ? row.consecutiveFailures + 1 : 0,
      runningOn: undefined,
      lastFinishedAt: ending.finishedAt,
    });
  }

  private row(key: JobKey): Checkpoint {
    return (
      this.rows.get(name(key)) ?? {
        ...key,
        covered: [],
        requested: [],
        forced: [],
        state: 'pending',
        bars: 0,
        requests: 0,
        errors: 0,
        consecutiveFailures: 0,
      }
    );
  }

  private update(key: JobKey, patch: Partial<Checkpoint>): void {
    this.rows.set(name(key), { ...this.row(key), ...patch });
  }
}

/** What one call of the fake ingestion does: store the window, or throw; `waitFor` holds it in flight until the test says so. */
type Step = { ok: true } | { fail: unknown } | { waitFor: Promise<void>; started: () => void; thenFail?: Error };

/** IngestionService without a provider or a database: each call follows the next scripted step (then succeeds). */
class FakeIngestion implements RunnerIngestion {
  readonly calls: (JobKey & TimeRange)[] = [];
  private readonly scripts = new Map<string, Step[]>();

  script(symbol: string, ...steps: Step[]): void {
    this.scripts.set(symbol, steps);
  }

  async ingest(symbol: string, timeframe: TimeframeValue, from: Date | number, to: Date | number): Promise<IngestionResult> {
    const range = { start: Number(from), end: Number(to) };
    this.calls.push({ symbol, timeframe, ...range });
    const step = this.scripts.get(symbol)?.shift() ?? { ok: true };
    if ('fail' in step) throw step.fail;
    if ('waitFor' in step) {
      step.started();
      await step.waitFor;
      if (step.thenFail) throw step.thenFail;
    }
    return { symbol, timeframe, from: range.start, to: range.end, requests: 1, pages: 1, bars: 10, written: 10, durationMs: 0 };
  }
}

/** The provider's window plan, as the port promises it: one UTC day a window, tiling from the first bucket start. */
const dailyWindows: WindowPlanner = {
  planWindows(_symbol, timeframe, start, end) {
    const windows: TimeRange[] = [];
    for (let from = timeframe.firstBucketAtOrAfter(start); from < end; from += 86_400_000) {
      windows.push({ start: from, end: Math.min(from + 86_400_000, end) });
    }
    return windows;
  },
};

class FakeDatabase implements RunnerDatabase {
  connected = true;
  error?: string;

  async status(): Promise<{ connected: boolean; error?: string }> {
    return { connected: this.connected, error: this.error };
  }
}

/** The advisory lock, in memory: a job named in `heldElsewhere` is busy. */
class FakeLock implements RunnerLock {
  readonly heldElsewhere = new Set<string>();

  async tryRun<T>(key: JobKey, work: () => Promise<T>): Promise<T | undefined> {
    return this.heldElsewhere.has(name(key)) ? undefined : work();
  }
}

class RecordingMetrics implements RunnerMetrics {
  readonly reports: JobRunReport[] = [];

  record(report: JobRunReport): void {
    this.reports.push(report);
  }
}

const fixedClock: Clock = { now: () => NOW };

function settingsOf(env: Env): BackfillSettings {
  return new BackfillSettings(AppConfigService.from(env));
}

interface Setup {
  runner: BackfillJobRunner;
  checkpoints: FakeCheckpoints;
  ingestion: FakeIngestion;
  database: FakeDatabase;
  halt: ProviderHalt;
  metrics: RecordingMetrics;
}

function setup(): Setup {
  const checkpoints = new FakeCheckpoints();
  const ingestion = new FakeIngestion();
  const database = new FakeDatabase();
  const halt = new ProviderHalt();
  const metrics = new RecordingMetrics();
  const settings = settingsOf({ BACKFILL_MAX_ATTEMPTS: String(MAX_ATTEMPTS) });
  const runner = new BackfillJobRunner(ingestion, dailyWindows, checkpoints, database, new FakeLock(), settings, metrics, halt, fixedClock);
  for (const key of [AAPL, MSFT]) checkpoints.seed(key, { requested: [REQUESTED], nextRunAt: NOW });
  return { runner, checkpoints, ingestion, database, halt, metrics };
}

/** An explicit run of a requested range (what POST .../backfill and the CLI start). */
const explicit = (extra: Partial<RunOptions> = {}): RunOptions => ({ tracked: false, ...extra });

/** A provider error whose disposition is `pause` (none of today's errors pauses; the runner must still honour one). */
class ProviderBusyError extends ProviderError {
  readonly kind = 'busy-for-test';
  readonly disposition = 'pause';

  constructor() {
    super('provider asked us to come back later');
  }
}

function unavailable(): ProviderUnavailableError {
  return new ProviderUnavailableError(4, 'HTTP 503');
}

beforeEach(() => logger.lines.splice(0));

describe('provider error dispositions', () => {
  it.each<[string, ProviderError, ProviderErrorDisposition]>([
    ['not found (404)', new ProviderNotFoundError('1h aggregates of NOPE', 'ticker not found'), 'permanent'],
    ['bad request (other 4xx)', new ProviderRequestError(400, 'bad timespan'), 'permanent'],
    ['not authorized (401/403)', new ProviderNotAuthorizedError(403, 'You are not entitled to this data'), 'halt-all'],
    ['rate limited after every retry', new ProviderRateLimitedError(5, 'slow down'), 'retry'],
    ['unavailable after every retry', unavailable(), 'retry'],
    ['bad payload', new ProviderBadPayloadError('AAPL', '1h', 'req-1', ['low above high']), 'retry'],
    ['not configured', new ProviderNotConfiguredError(), 'retry'],
  ])('%s is %s', (_label, error, disposition) => {
    expect(error.disposition).toBe(disposition);
  });
});

describe('BackfillJobRunner failure handling', () => {
  it('stores the windows fetched before a failure and only then sorts the error', async () => {
    const t = setup();
    t.ingestion.script('AAPL', { ok: true }, { fail: unavailable() });
    const report = await t.runner.run(AAPL, explicit());
    expect(report).toMatchObject({ outcome: 'retrying', chunks: 1, bars: 10, requests: 1, progressPercent: 50 });
    // Newest window first: Tuesday was stored, Monday failed.
    expect(t.ingestion.calls.map((c) => c.start)).toEqual([REQUESTED.start + 86_400_000, REQUESTED.start]);
    expect(t.checkpoints.get(AAPL).covered).toEqual([{ start: REQUESTED.start + 86_400_000, end: REQUESTED.end }]);
  });

  describe('permanent: the job fails for good at once', () => {
    it.each([
      ['not found', new ProviderNotFoundError('1h aggregates of AAPL', 'ticker not found', 'req-404')],
      ['bad request', new ProviderRequestError(400, 'bad timespan', 'req-400')],
    ])('%s', async (_label, error) => {
      const t = setup();
      t.ingestion.script('AAPL', { fail: error });
      const report = await t.runner.run(AAPL, explicit());
      expect(report).toMatchObject({ outcome: 'failed', error: error.message, errorKind: error.kind });
      expect(t.checkpoints.endings).toEqual([{ ...AAPL, state: 'failed', lastError: error.message, failed: true, finishedAt: NOW }]);
      expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'failed', errors: 1, consecutiveFailures: 1, lastError: error.message });
      expect(t.checkpoints.get(AAPL).nextRunAt).toBeUndefined();
      expect(t.halt.active).toBe(false);
      const line = logger.lines.find((l) => l.startsWith('error 1h backfill: AAPL - 0 candles in '));
      expect(line).toContain(`(failed; 0 request(s), 0 window(s); 0% of its history covered; ${error.message})`);

      // Failed means failed: the next run does not ask the provider again.
      const calls = t.ingestion.calls.length;
      expect((await t.runner.run(AAPL, explicit())).outcome).toBe('skipped');
      expect(t.ingestion.calls).toHaveLength(calls);
    });
  });

  describe('halt-all: the key is refused, so every job stops', () => {
    it('trips the halt once, records it, and the job that hit it waits; running jobs stop at their next window', async () => {
      const t = setup();
      const refused = new ProviderNotAuthorizedError(403, 'You are not entitled to this data. Please upgrade your plan', 'req-403');
      // MSFT is mid-window when AAPL is refused; the job queue aborts every running job on a trip.
      let msftStarted!: () => void;
      const msftInWindow = new Promise<void>((resolve) => (msftStarted = resolve));
      let releaseMsft!: () => void;
      t.ingestion.script('MSFT', { waitFor: new Promise<void>((resolve) => (releaseMsft = resolve)), started: msftStarted });
      t.ingestion.script('AAPL', { fail: refused });
      const msftControl = new AbortController();
      let trips = 0;
      t.halt.onTrip(() => {
        trips++;
        msftControl.abort();
      });

      const msftRun = t.runner.run(MSFT, explicit({ signal: msftControl.signal }));
      await msftInWindow;
      const aapl = await t.runner.run(AAPL, explicit());
      releaseMsft();
      const msft = await msftRun;

      expect(aapl).toMatchObject({ outcome: 'halted', error: refused.message, errorKind: 'not-authorized' });
      expect(trips).toBe(1);
      expect(t.halt.active).toBe(true);
      expect(t.halt.snapshot()).toEqual({ reason: refused.message, since: new Date(NOW).toISOString() });
      expect(t.checkpoints.get(AAPL)).toMatchObject({
        state: 'retrying',
        nextRunAt: NOW,
        errors: 1,
        consecutiveFailures: 1,
        lastError: refused.message,
      });
      expect(logger.lines.some((line) => line.startsWith(`error backfill and refresh stopped: ${refused.message}.`))).toBe(true);

      // MSFT kept the window it was fetching, then stopped without an error of its own.
      expect(msft).toMatchObject({ outcome: 'stopped', chunks: 1 });
      expect(msft.error).toBeUndefined();
      expect(t.checkpoints.get(MSFT)).toMatchObject({ state: 'pending', nextRunAt: NOW, errors: 0, consecutiveFailures: 0 });
      expect(t.ingestion.calls.filter((c) => c.symbol === 'MSFT')).toHaveLength(1);

      // A second refusal does not trip (or log) the halt again.
      t.ingestion.script('MSFT', { fail: refused });
      expect((await t.runner.run(MSFT, explicit())).outcome).toBe('halted');
      expect(trips).toBe(1);
      expect(logger.lines.filter((line) => line.startsWith('error backfill and refresh stopped:'))).toHaveLength(1);
    });
  });

  describe('retry: an attempt is counted and retried with backoff, up to BACKFILL_MAX_ATTEMPTS', () => {
    it.each([
      ['unavailable', unavailable()],
      ['rate limited', new ProviderRateLimitedError(5, 'slow down')],
      ['bad payload', new ProviderBadPayloadError('AAPL', '1h', 'req-7', ['low above high'])],
      ['not configured', new ProviderNotConfiguredError()],
    ])('%s', async (_label, error) => {
      const t = setup();
      const reports: JobRunReport[] = [];
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        t.ingestion.script('AAPL', { fail: error });
        reports.push(await t.runner.run(AAPL, explicit()));
      }
      expect(reports.map((r) => [r.outcome, r.errorKind])).toEqual([
        ['retrying', error.kind],
        ['retrying', error.kind],
        ['failed', error.kind],
      ]);
      expect(reports[0].error).toBe(`${error.message}; retry 1 of ${MAX_ATTEMPTS - 1} in 60 s`);
      expect(reports[1].error).toBe(`${error.message}; retry 2 of ${MAX_ATTEMPTS - 1} in 120 s`);
      const gaveUp = `${error.message} (${MAX_ATTEMPTS} failed runs in a row; POST /api/v1/symbol/AAPL/backfill retries it)`;
      expect(reports[2].error).toBe(gaveUp);
      expect(t.checkpoints.endings).toEqual([
        { ...AAPL, state: 'retrying', nextRunAt: NOW + MINUTE, lastError: error.message, failed: true, finishedAt: NOW },
        { ...AAPL, state: 'retrying', nextRunAt: NOW + 2 * MINUTE, lastError: error.message, failed: true, finishedAt: NOW },
        { ...AAPL, state: 'failed', lastError: gaveUp, failed: true, finishedAt: NOW },
      ]);
      expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'failed', errors: MAX_ATTEMPTS, consecutiveFailures: MAX_ATTEMPTS });
      expect(t.halt.active).toBe(false);
      expect(logger.lines.filter((line) => line.startsWith('warn 1h backfill: AAPL - ') && line.includes('(retrying;'))).toHaveLength(2);
      expect(logger.lines.filter((line) => line.startsWith('error 1h backfill: AAPL - ') && line.includes('(failed;'))).toHaveLength(1);
    });

    it('a run that succeeds resets the count', async () => {
      const t = setup();
      t.ingestion.script('AAPL', { fail: unavailable() });
      expect((await t.runner.run(AAPL, explicit())).outcome).toBe('retrying');
      const done = await t.runner.run(AAPL, explicit());
      expect(done).toMatchObject({ outcome: 'done', progressPercent: 100 });
      expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'done', errors: 1, consecutiveFailures: 0 });
      expect(t.checkpoints.get(AAPL).lastError).toBeUndefined();
    });

    it('waits twice as long after each failure in a row, up to an hour', async () => {
      const t = setup();
      t.checkpoints.seed(AAPL, { requested: [REQUESTED], consecutiveFailures: 7 });
      t.ingestion.script('AAPL', { fail: unavailable() });
      const settings = settingsOf({ BACKFILL_MAX_ATTEMPTS: '20' });
      const runner = new BackfillJobRunner(
        t.ingestion,
        dailyWindows,
        t.checkpoints,
        t.database,
        new FakeLock(),
        settings,
        t.metrics,
        t.halt,
        fixedClock,
      );
      expect((await runner.run(AAPL, explicit())).error).toMatch(/; retry 8 of 19 in 3600 s$/);
      expect(t.checkpoints.get(AAPL).nextRunAt).toBe(NOW + 60 * MINUTE);
    });
  });

  describe('pause: waits without counting an attempt', () => {
    it('is paused, due again after a minute, and never fails however often it happens', async () => {
      const t = setup();
      const error = new ProviderBusyError();
      for (let run = 0; run < MAX_ATTEMPTS + 2; run++) {
        t.ingestion.script('AAPL', { fail: error });
        expect(await t.runner.run(AAPL, explicit())).toMatchObject({ outcome: 'paused', error: error.message, errorKind: 'busy-for-test' });
      }
      expect(t.checkpoints.endings.every((e) => e.state === 'pending' && e.nextRunAt === NOW + MINUTE && !e.failed)).toBe(true);
      expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'pending', errors: 0, consecutiveFailures: 0, lastError: error.message });
      expect(t.halt.active).toBe(false);
    });
  });

  describe("errors that are not the provider's keep their own treatment", () => {
    it('a bug is retried like provider trouble, as kind "internal", and fails after BACKFILL_MAX_ATTEMPTS', async () => {
      const t = setup();
      const outcomes: JobRunReport[] = [];
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        t.ingestion.script('AAPL', { fail: new TypeError('cannot read properties of undefined') });
        outcomes.push(await t.runner.run(AAPL, explicit()));
      }
      expect(outcomes.map((r) => [r.outcome, r.errorKind])).toEqual([
        ['retrying', 'internal'],
        ['retrying', 'internal'],
        ['failed', 'internal'],
      ]);
      expect(outcomes[0].error).toBe(`cannot read properties of undefined; retry 1 of ${MAX_ATTEMPTS - 1} in 60 s`);
      expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'failed', consecutiveFailures: MAX_ATTEMPTS });
    });

    it('something thrown that is not an Error is reported by its text', async () => {
      const t = setup();
      t.ingestion.script('AAPL', { fail: 'socket hang up' });
      expect(await t.runner.run(AAPL, explicit())).toMatchObject({
        outcome: 'retrying',
        errorKind: 'internal',
        error: `socket hang up; retry 1 of ${MAX_ATTEMPTS - 1} in 60 s`,
      });
    });

    it('a lost database pauses the job and stores nothing (it could not)', async () => {
      const t = setup();
      t.database.connected = false;
      t.database.error = 'connect ECONNREFUSED 127.0.0.1:5432';
      t.ingestion.script('AAPL', { fail: new Error('Connection terminated unexpectedly') });
      const report = await t.runner.run(AAPL, explicit());
      expect(report).toMatchObject({
        outcome: 'paused',
        error: 'database unavailable: connect ECONNREFUSED 127.0.0.1:5432',
        errorKind: 'database',
      });
      expect(t.checkpoints.endings).toEqual([]);
      expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'running', errors: 0, consecutiveFailures: 0 });
      expect(logger.lines.some((line) => line.startsWith('warn 1h backfill: AAPL - ') && line.includes('(paused;'))).toBe(true);
    });

    it('an abort (untracked timeframe, shutdown) stops the job before its next window, keeping its last error', async () => {
      const t = setup();
      t.checkpoints.seed(AAPL, { requested: [REQUESTED], lastError: 'an older failure', consecutiveFailures: 1 });
      const control = new AbortController();
      control.abort();
      const report = await t.runner.run(AAPL, explicit({ signal: control.signal }));
      expect(report.outcome).toBe('stopped');
      expect(report.error).toBeUndefined();
      expect(t.ingestion.calls).toEqual([]);
      expect(t.checkpoints.endings).toEqual([
        { ...AAPL, state: 'pending', nextRunAt: NOW, lastError: 'an older failure', failed: false, finishedAt: NOW },
      ]);
    });

    it('an error while the run is being aborted stops it instead of counting a failure', async () => {
      const t = setup();
      t.checkpoints.seed(AAPL, { requested: [REQUESTED], lastError: 'an older failure', consecutiveFailures: 1 });
      const control = new AbortController();
      let started!: () => void;
      const inWindow = new Promise<void>((resolve) => (started = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      t.ingestion.script('AAPL', { waitFor: released, started, thenFail: new Error('Connection terminated: the pool is ending') });
      const run = t.runner.run(AAPL, explicit({ signal: control.signal }));
      await inWindow;
      control.abort();
      // The window in flight then fails (the pool closing under it) while the database still answers.
      release();
      const report = await run;
      expect(report.outcome).toBe('stopped');
      expect(report.error).toBeUndefined();
      expect(t.checkpoints.endings).toEqual([
        { ...AAPL, state: 'pending', nextRunAt: NOW, lastError: 'an older failure', failed: false, finishedAt: NOW },
      ]);
      expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'pending', errors: 0, consecutiveFailures: 0 });
    });
  });

  it('reports every run once to the metrics, busy ones too', async () => {
    const t = setup();
    const lock = new FakeLock();
    lock.heldElsewhere.add(name(MSFT));
    const runner = new BackfillJobRunner(
      t.ingestion,
      dailyWindows,
      t.checkpoints,
      t.database,
      lock,
      settingsOf({}),
      t.metrics,
      t.halt,
      fixedClock,
    );
    t.ingestion.script('AAPL', { fail: unavailable() });
    await runner.run(AAPL, explicit());
    await runner.run(MSFT, explicit());
    expect(t.metrics.reports.map((r) => [name(r), r.outcome])).toEqual([
      ['AAPL 1h', 'retrying'],
      ['MSFT 1h', 'busy'],
    ]);
  });
});

describe('BackfillJobRunner forced re-reads', () => {
  it('fetches a forced range again although covered, takes each window off `forced`, and says so in the report', async () => {
    const t = setup();
    t.checkpoints.seed(AAPL, { covered: [REQUESTED], forced: [REQUESTED] });
    const report = await t.runner.run(AAPL, explicit());
    expect(report).toMatchObject({ outcome: 'done', forced: true, chunks: 2, requests: 2, progressPercent: 100 });
    expect(t.ingestion.calls.map((c) => [c.start, c.end])).toEqual([
      [REQUESTED.start + 86_400_000, REQUESTED.end],
      [REQUESTED.start, REQUESTED.start + 86_400_000],
    ]);
    expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'done', forced: [], covered: [REQUESTED] });
    expect(logger.lines.some((line) => line.includes(', forced re-read;'))).toBe(true);
  });

  it('keeps a force recorded while an older plan runs, and leaves the job due at once', async () => {
    const t = setup();
    let started!: () => void;
    const inWindow = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    t.ingestion.script('AAPL', { waitFor: new Promise<void>((resolve) => (release = resolve)), started });
    const run = t.runner.run(AAPL, explicit());
    await inWindow;
    // As BackfillCheckpointRepository.request stores it: POST .../backfill with force on another instance.
    t.checkpoints.seed(AAPL, { forced: [REQUESTED] });
    release();
    const report = await run;

    expect(report).toMatchObject({ outcome: 'incomplete', forced: false });
    expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'pending', nextRunAt: NOW, forced: [REQUESTED], covered: [REQUESTED] });
    expect((await t.runner.run(AAPL, explicit())).forced).toBe(true);
    expect(t.checkpoints.get(AAPL)).toMatchObject({ state: 'done', forced: [] });
  });
});
