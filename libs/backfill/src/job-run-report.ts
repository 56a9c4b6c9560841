import type { JobKey } from './backfill-checkpoint';

/**
 * How a run ended. done: nothing left to fetch; incomplete: gave its turn to other jobs
 * with work left; stopped: cancelled (timeframe untracked, shutdown); retrying / failed:
 * provider or unknown error; halted: the provider refused the key; paused: the database
 * went away; busy: another session holds the job's lock; skipped: it failed earlier and
 * waits for an explicit request.
 */
export type RunOutcome = 'done' | 'incomplete' | 'stopped' | 'retrying' | 'failed' | 'halted' | 'paused' | 'skipped' | 'busy';

/** One finished run: what it fetched and how it ended. */
export interface JobRunReport extends JobKey {
  outcome: RunOutcome;
  /** History windows fetched (refresh windows and windows skipped for a closed market not counted). */
  chunks: number;
  requests: number;
  bars: number;
  /** Rows inserted or changed. */
  written: number;
  durationMs: number;
  /** Whether the recent window was re-read. */
  refreshed: boolean;
  /** Whether the run re-read ranges a forced backfill asked for (POST .../backfill with force, the CLI's --force). */
  forced: boolean;
  /** Share of the job's target covered after the run, 0..100. */
  progressPercent: number;
  errorKind?: string;
  error?: string;
}

/** Progress while a run fetches, for the CLI's bar and the jobs route. */
export interface JobProgress extends JobKey {
  progressPercent: number;
  chunksDone: number;
  chunksPlanned: number;
  bars: number;
  requests: number;
}
