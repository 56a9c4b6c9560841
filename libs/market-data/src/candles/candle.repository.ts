import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { DatabaseService, arrayLiteral, isUniqueViolation } from '@app/database';
import { type Candle, type CandleRangeQuery, type CandleValues, TIMEFRAME_VALUES, type TimeRange, type TimeframeValue } from '@app/core';
import { type SeriesId, SeriesVersions, seriesTag } from '@app/cache';
import type { DerivableTimeframe } from '../derived/derived-candle';
import { rollUpMinutesSql } from '../derived/derived-candle.sql';
import { type BucketRange, type RolledUpBar, type RolledUpRow, toRolledUpBar } from '../derived/rolled-up-bar';
import { CandleChangeLog } from '../changes/candle-change-log';
import { encodeCandlesForCopy } from './candle-copy.encoder';

/** Rows per write statement: big enough to amortise the round trip, small enough to bound memory and lock time. */
const UPSERT_BATCH_SIZE = 10_000;
const COPY_BATCH_SIZE = 50_000;

const COLUMNS = ['open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'] as const;

const ROW_COLUMNS = `to_timestamp(t / 1000.0) AS time, s AS symbol, tf AS timeframe, o AS open, h AS high, l AS low,
  c AS close, v AS volume, vw AS vwap, n AS trades`;

/**
 * Writes rows from a source with columns (t = epoch ms, s, tf, o, h, l, c, v, vw, n).
 * MERGE (PostgreSQL >= 15) inserts new bars about 2.5x faster than ON CONFLICT's
 * speculative insertion; PostgreSQL 14 and TimescaleDB (no MERGE ... UPDATE on compressed
 * hypertables) get ON CONFLICT. Either way a revised bar overwrites and an
 * identical one is not rewritten.
 */
function writeFrom(source: string, useMerge: boolean): string {
  const changed = `(${COLUMNS.map((c) => `m.${c}`).join(', ')}) IS DISTINCT FROM (${COLUMNS.map((c) => `b.${c}`).join(', ')})`;
  if (useMerge) {
    return `
    MERGE INTO market_data m
    USING (SELECT ${ROW_COLUMNS} FROM ${source}) AS b
    ON m.symbol = b.symbol AND m.timeframe = b.timeframe AND m.time = b.time
    WHEN MATCHED AND ${changed} THEN UPDATE SET ${COLUMNS.map((c) => `${c} = b.${c}`).join(', ')}
    WHEN NOT MATCHED THEN INSERT (time, symbol, timeframe, ${COLUMNS.join(', ')})
      VALUES (b.time, b.symbol, b.timeframe, ${COLUMNS.map((c) => `b.${c}`).join(', ')})`;
  }
  return `
    INSERT INTO market_data AS m (time, symbol, timeframe, ${COLUMNS.join(', ')})
    SELECT * FROM (SELECT ${ROW_COLUMNS} FROM ${source}) AS rows
    ON CONFLICT (symbol, timeframe, time) DO UPDATE SET ${COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
    WHERE ${changed.replace(/\bb\./g, 'EXCLUDED.')}`;
}

const ARRAY_SOURCE = `
  unnest($1::text::float8[], $2::text::text[], $3::text::text[], $4::text::float8[], $5::text::float8[], $6::text::float8[],
         $7::text::float8[], $8::text::float8[], $9::text::float8[], $10::text::int8[]) AS u(t, s, tf, o, h, l, c, v, vw, n)`;

// One staging table per session, emptied at every commit: no catalog churn per batch.
const COPY_STAGING_SQL = 'COPY market_data_staging FROM STDIN (FORMAT binary)';
const CREATE_STAGING_SQL = `
  CREATE TEMP TABLE IF NOT EXISTS market_data_staging (
    t float8, s text, tf text, o float8, h float8, l float8, c float8, v float8, vw float8, n int8
  ) ON COMMIT DELETE ROWS`;

/** A concurrent writer inserted the same bar first: MERGE then fails with a unique violation; the retry updates. */
const MERGE_ATTEMPTS = 3;

// Epoch ms out as float8: exact for whole milliseconds and far cheaper to parse than a Date.
const SELECT_COLUMNS = `(extract(epoch FROM time) * 1000)::float8 AS time, open, high, low, close, volume, vwap,
  trades::float8 AS trades`;

type CandleRow = CandleValues;

/** Bounds of [start, end) in epoch ms, as SQL over `time`, from parameters $n and $n+1. */
const IN_RANGE = (n: number): string => `time >= to_timestamp($${n} / 1000.0) AND time < to_timestamp($${n + 1} / 1000.0)`;

/**
 * The only code that reads and writes market_data (entity: MarketDataEntity): the candle
 * routes' reads, the gap report's stored bar times, derivation's query-time rollups and
 * coverage counts, and every write. Writes are bulk and idempotent (one statement per
 * batch; a revised bar overwrites, an identical one is left alone). The continuous
 * aggregates built over it (market_data_5m ... market_data_1w) are DerivedCandleRepository's.
 */
@Injectable()
export class CandleRepository {
  constructor(
    private readonly database: DatabaseService,
    private readonly versions: SeriesVersions,
    private readonly changes: CandleChangeLog,
  ) {}

  /**
   * Upserts bars; returns how many rows were inserted or changed. On PostgreSQL the rows
   * go through COPY into a staging table (about twice as fast as array parameters);
   * the in-process test engine takes them as arrays. Each batch is one transaction.
   * Once the rows are in, the versions of the series written change, so no cached answer
   * made before can be found again (also after a failure: earlier batches may have committed).
   * A batch that changed rows marks its series in candle_changes (from its earliest bar), in the
   * batch's own transaction on the COPY path, so enrichment never misses a committed write.
   */
  async upsertMany(candles: readonly Candle[]): Promise<number> {
    const unique = lastWins(candles);
    if (!unique.length) return 0;
    let written = 0;
    let failed = true;
    try {
      written = await (this.database.supportsCopy ? this.upsertViaCopy(unique) : this.upsertViaArrays(unique));
      failed = false;
      return written;
    } finally {
      if (written > 0 || failed) await this.versions.bump(seriesOf(unique));
    }
  }

  private async upsertViaArrays(candles: readonly Candle[]): Promise<number> {
    const sql = writeFrom(ARRAY_SOURCE, this.database.supportsMerge);
    let written = 0;
    for (let i = 0; i < candles.length; i += UPSERT_BATCH_SIZE) {
      const batch = candles.slice(i, i + UPSERT_BATCH_SIZE);
      const params = toArrayParams(batch);
      // Only the in-process engine takes this path: no other process can see the write before its mark.
      const changed = await retryOnUniqueViolation(() => this.database.execute(sql, params));
      if (changed > 0) await this.changes.markWritten(batch);
      written += changed;
    }
    return written;
  }

  private upsertViaCopy(candles: readonly Candle[]): Promise<number> {
    const sql = writeFrom('market_data_staging', this.database.supportsMerge);
    return this.database.withClient(async (client) => {
      let written = 0;
      for (let i = 0; i < candles.length; i += COPY_BATCH_SIZE) {
        const batch = candles.slice(i, i + COPY_BATCH_SIZE);
        written += await retryOnUniqueViolation(async () => {
          await client.query('BEGIN');
          try {
            await client.query(CREATE_STAGING_SQL);
            await pipeline(Readable.from([encodeCandlesForCopy(batch)]), client.query(copyFrom(COPY_STAGING_SQL)));
            const changed = (await client.query(sql)).rowCount ?? 0;
            if (changed > 0) await this.changes.markWritten(batch, client);
            await client.query('COMMIT');
            if (changed > 0) this.changes.announce(seriesOf(batch));
            return changed;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        });
      }
      return written;
    });
  }

  /** Bars in [start, end), ordered by time, at most `limit`. */
  async findRange(query: CandleRangeQuery): Promise<Candle[]> {
    // ORDER BY the column, not the float8 `time` output alias: the alias made Postgres sort the
    // whole range before LIMIT instead of walking the primary key and stopping early.
    const order = query.order === 'desc' ? 'DESC' : 'ASC';
    const rows = await this.database.readQuery<CandleRow>(
      `SELECT ${SELECT_COLUMNS} FROM market_data
       WHERE symbol = $1 AND timeframe = $2 AND time >= to_timestamp($3 / 1000.0) AND time < to_timestamp($4 / 1000.0)
       ORDER BY market_data.time ${order} LIMIT $5`,
      [query.symbol, query.timeframe, query.start, query.end, query.limit],
    );
    const { symbol, timeframe } = query;
    // Built field by field: spreading the row makes a slow dictionary-mode object per bar (measured 10x slower).
    return rows.map((row) => ({
      symbol,
      timeframe,
      time: row.time,
      open: row.open,
      high: row.high,
      low: row.low,
      close: row.close,
      volume: row.volume,
      vwap: row.vwap,
      trades: row.trades,
    }));
  }

  /** Number of stored bars for a symbol and timeframe in [start, end). */
  async count(symbol: string, timeframe: TimeframeValue, start: number, end: number): Promise<number> {
    const [row] = await this.database.readQuery<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM market_data
       WHERE symbol = $1 AND timeframe = $2 AND time >= to_timestamp($3 / 1000.0) AND time < to_timestamp($4 / 1000.0)`,
      [symbol, timeframe, start, end],
    );
    return row.n;
  }

  /** Start times (Unix ms, ascending) of the bars stored for a symbol and timeframe in [start, end): what the gap report compares with the calendar. */
  async barTimes(symbol: string, timeframe: TimeframeValue, start: number, end: number): Promise<number[]> {
    const rows = await this.database.readQuery<{ t: number }>(
      `SELECT (extract(epoch FROM time) * 1000)::float8 AS t FROM market_data
       WHERE symbol = $1 AND timeframe = $2 AND ${IN_RANGE(3)}
       ORDER BY time`,
      [symbol, timeframe, start, end],
    );
    return rows.map((row) => Math.round(row.t));
  }

  /** How many of `starts` (Unix ms) have a stored bar of `timeframe`. */
  async countStoredAt(symbol: string, timeframe: TimeframeValue, starts: readonly number[]): Promise<number> {
    if (starts.length === 0) return 0;
    const [row] = await this.database.readQuery<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM market_data
       WHERE symbol = $1 AND timeframe = $2
         AND time IN (SELECT to_timestamp(t / 1000.0) FROM unnest($3::float8[]) AS t)`,
      [symbol, timeframe, starts],
    );
    return row.n;
  }

  /** Stored 1m bars of `symbol` in [start, end). */
  async countMinuteBars(symbol: string, range: TimeRange): Promise<number> {
    const [row] = await this.database.readQuery<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM market_data WHERE symbol = $1 AND timeframe = '1m' AND ${IN_RANGE(2)}`,
      [symbol, range.start, range.end],
    );
    return row.n;
  }

  /** Start of the newest stored bar of a symbol and timeframe, or null. */
  async newestBarTime(symbol: string, timeframe: TimeframeValue): Promise<number | null> {
    // max() rather than ORDER BY ... LIMIT 1: with few symbols PostgreSQL plans the latter as a
    // full scan, while max() always walks the primary key (and TimescaleDB's chunks) backwards.
    const [row] = await this.database.readQuery<{ time: number | null }>(
      `SELECT (date_part('epoch', max(time)) * 1000)::float8 AS time FROM market_data WHERE symbol = $1 AND timeframe = $2`,
      [symbol, timeframe],
    );
    return row?.time ?? null;
  }

  /** Per timeframe, the start of the oldest and the newest stored bar (undefined without bars), in one statement. */
  async extentsOf(
    symbol: string,
    timeframes: readonly TimeframeValue[],
  ): Promise<Map<TimeframeValue, { oldest: number; newest: number } | undefined>> {
    // One min() and one max() per timeframe, each walking the primary key (see newestBarTime).
    const rows = await this.database.readQuery<{ timeframe: TimeframeValue; oldest: number | null; newest: number | null }>(
      `SELECT tf AS timeframe,
         (SELECT (date_part('epoch', min(time)) * 1000)::float8 FROM market_data WHERE symbol = $1 AND timeframe = tf) AS oldest,
         (SELECT (date_part('epoch', max(time)) * 1000)::float8 FROM market_data WHERE symbol = $1 AND timeframe = tf) AS newest
       FROM unnest($2::text::text[]) AS tf`,
      [symbol, arrayLiteral(timeframes)],
    );
    return new Map(
      rows.map((row) => [
        row.timeframe,
        row.oldest === null || row.newest === null ? undefined : { oldest: row.oldest, newest: row.newest },
      ]),
    );
  }

  /** Start of the oldest stored bar of a symbol and timeframe, or null: how far back history can reach. */
  async oldestBarTime(symbol: string, timeframe: TimeframeValue): Promise<number | null> {
    // min() for the same reason as newestBarTime's max(): it always walks the primary key.
    const [row] = await this.database.readQuery<{ time: number | null }>(
      `SELECT (date_part('epoch', min(time)) * 1000)::float8 AS time FROM market_data WHERE symbol = $1 AND timeframe = $2`,
      [symbol, timeframe],
    );
    return row?.time ?? null;
  }

  /**
   * 1m bars rolled up into `timeframe` buckets at query time (derived candles on PostgreSQL, and
   * the regular session on either engine); with `onlyWithin`, only the 1m bars inside those ranges count.
   */
  async rollUpMinutes(timeframe: DerivableTimeframe, range: BucketRange, onlyWithin?: readonly TimeRange[]): Promise<RolledUpBar[]> {
    if (onlyWithin && onlyWithin.length === 0) return [];
    const parameters: unknown[] = [range.symbol, range.start, range.end, range.limit];
    if (onlyWithin) parameters.push(multirangeLiteral(onlyWithin));
    const rows = await this.database.readQuery<RolledUpRow>(rollUpMinutesSql(timeframe, range.order, onlyWithin !== undefined), parameters);
    return rows.map(toRolledUpBar);
  }

  /** Deletes every bar of a symbol (all timeframes); returns the number of rows removed. */
  async deleteSymbol(symbol: string): Promise<number> {
    try {
      const deleted = await this.database.execute('DELETE FROM market_data WHERE symbol = $1', [symbol]);
      await this.changes.mark(TIMEFRAME_VALUES.map((timeframe) => ({ symbol, timeframe, changedFrom: 0 })));
      return deleted;
    } finally {
      await this.versions.bump(TIMEFRAME_VALUES.map((timeframe) => ({ symbol, timeframe })));
    }
  }
}

async function retryOnUniqueViolation(write: () => Promise<number>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= MERGE_ATTEMPTS) throw error;
    }
  }
}

/** The distinct (symbol, timeframe) pairs among the bars. */
function seriesOf(candles: readonly Candle[]): SeriesId[] {
  const series = new Map<string, SeriesId>();
  for (const { symbol, timeframe } of candles) series.set(seriesTag({ symbol, timeframe }), { symbol, timeframe });
  return [...series.values()];
}

/** A write cannot touch a row twice in one statement: keep the last copy of each bar. */
function lastWins(candles: readonly Candle[]): readonly Candle[] {
  if (isOneStrictlyIncreasingSeries(candles)) return candles; // the provider's usual shape: nothing to do
  const seen = new Map<string, Candle>();
  for (const candle of candles) seen.set(`${candle.symbol}\u0000${candle.timeframe}\u0000${candle.time}`, candle);
  return seen.size === candles.length ? candles : [...seen.values()];
}

function isOneStrictlyIncreasingSeries(candles: readonly Candle[]): boolean {
  for (let i = 1; i < candles.length; i++) {
    const previous = candles[i - 1];
    const current = candles[i];
    if (current.time <= previous.time || current.symbol !== previous.symbol || current.timeframe !== previous.timeframe) return false;
  }
  return true;
}

/**
 * One array literal per column, passed as text: the generic parameter serialiser is the
 * bottleneck for 10k-row batches (see arrayLiteral).
 */
function toArrayParams(batch: readonly Candle[]): string[] {
  const column = (pick: (c: Candle) => string | number | null): string => arrayLiteral(batch.map(pick));
  return [
    column((c) => c.time),
    column((c) => c.symbol),
    column((c) => c.timeframe),
    column((c) => c.open),
    column((c) => c.high),
    column((c) => c.low),
    column((c) => c.close),
    column((c) => c.volume),
    column((c) => c.vwap),
    column((c) => c.trades),
  ];
}

/** `{[a,b),[c,d)}` with ISO instants: ranges as one tstzmultirange parameter (PostgreSQL >= 14). */
function multirangeLiteral(ranges: readonly TimeRange[]): string {
  return `{${ranges.map((range) => `[${new Date(range.start).toISOString()},${new Date(range.end).toISOString()})`).join(',')}}`;
}
