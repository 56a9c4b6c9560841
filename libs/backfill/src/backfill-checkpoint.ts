import type { TimeframeValue, TimeRange } from '@app/core';

/** One job: a symbol in one timeframe. */
export interface JobKey {
  symbol: string;
  timeframe: TimeframeValue;
}

/**
 * Persisted job states. pending: has work, waiting for its turn; running: an instance
 * holds its lock; done: history complete, refreshed on its cadence; retrying: failed,
 * runs again at next_run_at; failed: stopped for good (provider 404, or too many
 * failures in a row) until someone asks again with POST .../backfill.
 */
export const CHECKPOINT_STATES = ['pending', 'running', 'done', 'retrying', 'failed'] as const;
export type CheckpointState = (typeof CHECKPOINT_STATES)[number];

/** A row of backfill_checkpoints. Times are Unix ms. */
export interface Checkpoint extends JobKey {
  covered: TimeRange[];
  requested: TimeRange[];
  /** Ranges a forced backfill reads again although covered; each fetched window leaves it. */
  forced: TimeRange[];
  state: CheckpointState;
  refreshedAt?: number;
  nextRunAt?: number;
  /** Totals over every run. */
  bars: number;
  requests: number;
  errors: number;
  consecutiveFailures: number;
  lastError?: string;
  runningOn?: string;
  lastStartedAt?: number;
  lastFinishedAt?: number;
}

/** What one fetched chunk adds to the totals. */
export interface ChunkTotals {
  bars: number;
  requests: number;
}

export function jobName(key: JobKey): string {
  return `${key.symbol} ${key.timeframe}`;
}

export function sameJob(a: JobKey, b: JobKey): boolean {
  return a.symbol === b.symbol && a.timeframe === b.timeframe;
}
