import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { Candle, TimeframeValue } from '@app/core';
import { type SeriesId, seriesTag } from '@app/cache';
import { DatabaseService, arrayLiteral } from '@app/database';

/** The earliest bar of a series that changed since its indicators were last brought up to date. */
export interface CandleChange {
  symbol: string;
  timeframe: TimeframeValue;
  /** Unix ms. */
  changedFrom: number;
  /** Moves with every mark; clear() removes a change only at the revision its reader saw. */
  revision: string;
}

export type SeriesChange = Omit<CandleChange, 'revision'>;

// Earliest change wins: a job that has not run yet must still start from the oldest changed bar.
const MARK_SQL = `
  INSERT INTO candle_changes AS c (symbol, timeframe, changed_from, revision, changed_at)
  SELECT s, tf, to_timestamp(f / 1000.0), nextval('candle_changes_revision'), now()
  FROM unnest($1::text::text[], $2::text::text[], $3::text::float8[]) AS u(s, tf, f)
  ON CONFLICT (symbol, timeframe) DO UPDATE
  SET changed_from = LEAST(c.changed_from, EXCLUDED.changed_from), revision = EXCLUDED.revision, changed_at = EXCLUDED.changed_at`;

const SELECT_SQL = `SELECT symbol, timeframe, (extract(epoch FROM changed_from) * 1000)::float8 AS "changedFrom", revision::text AS revision
  FROM candle_changes`;

/**
 * The only code that reads and writes candle_changes: which series had bars written, from
 * which bar on, so enrichment recomputes exactly what a write touched. Marks are written in the
 * same transaction as the bars where the engine allows it (COPY path), so a write that
 * committed is never missed after a crash.
 */
@Injectable()
export class CandleChangeLog {
  private readonly listeners: ((series: readonly SeriesId[]) => void)[] = [];

  constructor(private readonly database: DatabaseService) {}

  /** Called, on this instance, once marks of these series are committed (enrichment starts its jobs). */
  onMarked(listener: (series: readonly SeriesId[]) => void): void {
    this.listeners.push(listener);
  }

  /** Tells the listeners about marks made on a client's transaction, after it committed. */
  announce(series: readonly SeriesId[]): void {
    if (series.length) for (const listener of this.listeners) listener(series);
  }

  /** Marks the series of `candles` as changed from each one's earliest bar, on `client` (inside its transaction) when given. */
  async markWritten(candles: readonly Candle[], client?: PoolClient): Promise<void> {
    const earliest = new Map<string, SeriesChange>();
    for (const { symbol, timeframe, time } of candles) {
      const key = seriesTag({ symbol, timeframe });
      const known = earliest.get(key);
      if (!known || time < known.changedFrom) earliest.set(key, { symbol, timeframe, changedFrom: time });
    }
    await this.mark([...earliest.values()], client);
  }

  /** Marks each series changed from its `changedFrom`; on `client` the caller announces them once committed. */
  async mark(changes: readonly SeriesChange[], client?: PoolClient): Promise<void> {
    if (!changes.length) return;
    const params = [
      arrayLiteral(changes.map((c) => c.symbol)),
      arrayLiteral(changes.map((c) => c.timeframe)),
      arrayLiteral(changes.map((c) => c.changedFrom)),
    ];
    if (client) {
      await client.query(MARK_SQL, params);
      return;
    }
    await this.database.execute(MARK_SQL, params);
    this.announce(changes);
  }

  /** Every change not yet cleared (one row per series at most). */
  all(): Promise<CandleChange[]> {
    return this.database.query<CandleChange>(SELECT_SQL);
  }

  async of(symbol: string, timeframe: TimeframeValue): Promise<CandleChange | undefined> {
    const [change] = await this.database.query<CandleChange>(`${SELECT_SQL} WHERE symbol = $1 AND timeframe = $2`, [symbol, timeframe]);
    return change;
  }

  /** Removes the change if no write marked it again since `revision` was read; true when it did. */
  async clear(change: CandleChange): Promise<boolean> {
    const removed = await this.database.execute('DELETE FROM candle_changes WHERE symbol = $1 AND timeframe = $2 AND revision = $3', [
      change.symbol,
      change.timeframe,
      change.revision,
    ]);
    return removed > 0;
  }
}
