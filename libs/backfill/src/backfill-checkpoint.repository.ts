import { Injectable } from '@nestjs/common';
import type { TimeframeValue, TimeRange } from '@app/core';
import { DatabaseService } from '@app/database';
import type { Checkpoint, CheckpointState, ChunkTotals, JobKey } from './backfill-checkpoint';

interface CheckpointRow {
  symbol: string;
  timeframe: string;
  covered: [number | string, number | string][];
  requested: [number | string, number | string][];
  forced: [number | string, number | string][];
  state: CheckpointState;
  refreshed_at: number | null;
  next_run_at: number | null;
  bars: number;
  requests: number;
  errors: number;
  consecutive_failures: number;
  last_error: string | null;
  running_on: string | null;
  last_started_at: number | null;
  last_finished_at: number | null;
}

const ms = (column: string): string => `(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}`;
/** A multirange as [[startMs, endMs], ...] in order: plain JSON both drivers hand back parsed. */
const ranges = (column: string): string =>
  `(SELECT coalesce(jsonb_agg(jsonb_build_array(extract(epoch FROM lower(r)) * 1000, extract(epoch FROM upper(r)) * 1000) ORDER BY lower(r)), '[]'::jsonb)
    FROM unnest(${column}) AS r) AS ${column}`;

const COLUMNS = `symbol, timeframe, ${ranges('covered')}, ${ranges('requested')}, ${ranges('forced')}, state, ${ms('refreshed_at')}, ${ms('next_run_at')},
  bars::float8 AS bars, requests::float8 AS requests, errors, consecutive_failures, last_error, running_on,
  ${ms('last_started_at')}, ${ms('last_finished_at')}`;

const TIME = (n: number): string => `to_timestamp($${n}::float8 / 1000.0)`;
const KEY = 'symbol = $1 AND timeframe = $2';

/** How a run ended, as stored. */
export interface RunEnding {
  state: Exclude<CheckpointState, 'running'>;
  nextRunAt?: number;
  /** Set on failure; cleared (null) on success. */
  lastError: string | null;
  /** true: one more failure in a row; false: the run succeeded, reset the count. */
  failed: boolean;
  finishedAt: number;
}

/**
 * The only code that reads and writes backfill_checkpoints (entity: BackfillCheckpointEntity).
 * Hand-written SQL: the work is multirange arithmetic, and arrays of keys go in as plain
 * array parameters (both drivers serialise them).
 */
@Injectable()
export class BackfillCheckpointRepository {
  constructor(private readonly database: DatabaseService) {}

  /** Creates rows for jobs that have none yet (new symbols or timeframes). */
  async ensure(keys: readonly JobKey[]): Promise<void> {
    if (!keys.length) return;
    await this.database.execute(
      `INSERT INTO backfill_checkpoints (symbol, timeframe)
       SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (symbol, timeframe) DO NOTHING`,
      [keys.map((k) => k.symbol), keys.map((k) => k.timeframe)],
    );
  }

  async find(key: JobKey): Promise<Checkpoint | undefined> {
    const rows = await this.database.query<CheckpointRow>(`SELECT ${COLUMNS} FROM backfill_checkpoints WHERE ${KEY}`, [
      key.symbol,
      key.timeframe,
    ]);
    return rows.length ? toCheckpoint(rows[0]) : undefined;
  }

  async findAll(): Promise<Checkpoint[]> {
    const rows = await this.database.query<CheckpointRow>(`SELECT ${COLUMNS} FROM backfill_checkpoints ORDER BY symbol, timeframe`);
    return rows.map(toCheckpoint);
  }

  /** Of `keys`, the jobs due at `now` (not failed, next run reached), earliest first. */
  async findDue(keys: readonly JobKey[], now: number): Promise<JobKey[]> {
    if (!keys.length) return [];
    const rows = await this.database.query<{ symbol: string; timeframe: string }>(
      `SELECT c.symbol, c.timeframe FROM backfill_checkpoints c
       JOIN unnest($1::text[], $2::text[]) AS k(symbol, timeframe) ON k.symbol = c.symbol AND k.timeframe = c.timeframe
       WHERE c.state <> 'failed' AND (c.next_run_at IS NULL OR c.next_run_at <= ${TIME(3)})
       ORDER BY c.next_run_at NULLS FIRST, c.symbol, c.timeframe`,
      [keys.map((k) => k.symbol), keys.map((k) => k.timeframe), now],
    );
    return rows.map((r) => ({ symbol: r.symbol, timeframe: r.timeframe as TimeframeValue }));
  }

  async markRunning(key: JobKey, instance: string, now: number): Promise<void> {
    await this.database.execute(
      `UPDATE backfill_checkpoints SET state = 'running', running_on = $3, last_started_at = ${TIME(4)}, updated_at = now() WHERE ${KEY}`,
      [key.symbol, key.timeframe, instance, now],
    );
  }

  /**
   * Adds a fetched range to `covered` and its bars and requests to the totals, in one
   * statement: the checkpoint never claims a range whose bars are not written. `reread`
   * (a window fetched for a forced backfill) leaves `forced` in the same statement.
   */
  async cover(key: JobKey, range: TimeRange | undefined, totals: ChunkTotals, reread?: TimeRange): Promise<void> {
    const params: unknown[] = [key.symbol, key.timeframe, totals.bars, totals.requests];
    const rangeUpdate = (column: string, op: '+' | '-', r: TimeRange | undefined): string => {
      if (!r || r.end <= r.start) return '';
      params.push(r.start, r.end);
      return `${column} = ${column} ${op} tstzmultirange(tstzrange(${TIME(params.length - 1)}, ${TIME(params.length)})),`;
    };
    const updates = rangeUpdate('covered', '+', range) + rangeUpdate('forced', '-', reread);
    await this.database.execute(
      `UPDATE backfill_checkpoints SET ${updates} bars = bars + $3, requests = requests + $4, updated_at = now() WHERE ${KEY}`,
      params,
    );
  }

  async markRefreshed(key: JobKey, at: number): Promise<void> {
    await this.database.execute(`UPDATE backfill_checkpoints SET refreshed_at = ${TIME(3)}, updated_at = now() WHERE ${KEY}`, [
      key.symbol,
      key.timeframe,
      at,
    ]);
  }

  async finish(key: JobKey, ending: RunEnding): Promise<void> {
    await this.database.execute(
      `UPDATE backfill_checkpoints SET state = $3, next_run_at = ${ending.nextRunAt === undefined ? 'NULL' : TIME(7)},
         last_error = $4::text, errors = errors + (CASE WHEN $5::boolean THEN 1 ELSE 0 END),
         consecutive_failures = CASE WHEN $5::boolean THEN consecutive_failures + 1 ELSE 0 END,
         running_on = NULL, last_finished_at = ${TIME(6)}, updated_at = now()
       WHERE ${KEY}`,
      [
        key.symbol,
        key.timeframe,
        ending.state,
        ending.lastError,
        ending.failed,
        ending.finishedAt,
        ...(ending.nextRunAt === undefined ? [] : [ending.nextRunAt]),
      ],
    );
  }

  /**
   * Records a range asked for by hand (and one to read again although covered: `forced`;
   * an empty range adds nothing) and makes the job due now; a failed job gets another
   * chance. Creates the row when the job is new.
   */
  async request(key: JobKey, range: TimeRange, now: number, forced: TimeRange): Promise<void> {
    await this.database.execute(
      `INSERT INTO backfill_checkpoints AS c (symbol, timeframe, requested, forced, next_run_at)
       VALUES ($1, $2, tstzmultirange(tstzrange(${TIME(3)}, ${TIME(4)})), tstzmultirange(tstzrange(${TIME(6)}, ${TIME(7)})), ${TIME(5)})
       ON CONFLICT (symbol, timeframe) DO UPDATE SET
         requested = c.requested + EXCLUDED.requested,
         forced = c.forced + EXCLUDED.forced,
         next_run_at = EXCLUDED.next_run_at,
         state = CASE WHEN c.state IN ('failed', 'retrying', 'done') THEN 'pending' ELSE c.state END,
         consecutive_failures = 0,
         updated_at = now()`,
      [key.symbol, key.timeframe, range.start, range.end, now, forced.start, forced.end],
    );
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    symbol: row.symbol,
    timeframe: row.timeframe as TimeframeValue,
    covered: toRanges(row.covered),
    requested: toRanges(row.requested),
    forced: toRanges(row.forced),
    state: row.state,
    refreshedAt: optional(row.refreshed_at),
    nextRunAt: optional(row.next_run_at),
    bars: row.bars,
    requests: row.requests,
    errors: row.errors,
    consecutiveFailures: row.consecutive_failures,
    lastError: row.last_error ?? undefined,
    runningOn: row.running_on ?? undefined,
    lastStartedAt: optional(row.last_started_at),
    lastFinishedAt: optional(row.last_finished_at),
  };
}

function toRanges(pairs: [number | string, number | string][]): TimeRange[] {
  return pairs.map(([start, end]) => ({ start: Math.round(Number(start)), end: Math.round(Number(end)) }));
}

function optional(value: number | null): number | undefined {
  return value === null ? undefined : Math.round(value);
}
