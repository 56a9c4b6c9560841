import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@app/database';
import type { CandleValues, TimeframeValue } from '@app/core';
import type { MinuteTally } from './bucket-completeness';
import type { DerivableTimeframe } from './derived-candle';
import { readAggregateSql, rollUpMinutesSql, type SortOrder } from './derived-candle.sql';

/** One derived bucket as read from the database, before it is judged complete or not. */
export interface RolledUpBar extends CandleValues {
  tally: MinuteTally;
}

export interface BucketRange {
  symbol: string;
  /** First bucket start, inclusive (Unix ms). */
  start: number;
  /** Exclusive (Unix ms); 1m bars are read up to here, so it must be a bucket boundary. */
  end: number;
  limit: number;
  order: SortOrder;
}

/** A half-open span [start, end) in Unix ms. */
export interface TimeSpan {
  start: number;
  end: number;
}

interface DerivedRow {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | null;
  minute_bars: number;
  regular_morning_bars: number;
  regular_afternoon_bars: number;
}

/** The SQL side of derivation: continuous-aggregate reads, query-time rollups, refreshes, coverage counts. */
@Injectable()
export class DerivedCandleRepository {
  constructor(private readonly database: DatabaseService) {}

  /** True on TimescaleDB, where migration 1764000000100 created the continuous aggregates. */
  get hasContinuousAggregates(): boolean {
    return this.database.hasTimescale;
  }

  async readAggregate(view: string, range: BucketRange): Promise<RolledUpBar[]> {
    const rows = await this.database.query<DerivedRow>(readAggregateSql(view, range.order), [
      range.symbol,
      range.start,
      range.end,
      range.limit,
    ]);
    return rows.map(toRolledUpBar);
  }

  /** Rolls up 1m rows at query time; with `onlyWithin`, only the 1m bars inside those spans count. */
  async rollUpMinutes(timeframe: DerivableTimeframe, range: BucketRange, onlyWithin?: readonly TimeSpan[]): Promise<RolledUpBar[]> {
    if (onlyWithin && onlyWithin.length === 0) return [];
    const parameters: unknown[] = [range.symbol, range.start, range.end, range.limit];
    if (onlyWithin) parameters.push(multirangeLiteral(onlyWithin));
    const rows = await this.database.query<DerivedRow>(rollUpMinutesSql(timeframe, range.order, onlyWithin !== undefined), parameters);
    return rows.map(toRolledUpBar);
  }

  /** Start of the symbol's newest stored 1m bar, or null. */
  async newestMinuteBar(symbol: string): Promise<number | null> {
    // max() rather than ORDER BY ... LIMIT 1: with few symbols PostgreSQL plans the latter as a
    // full scan, while max() always walks the primary key (and TimescaleDB's chunks) backwards.
    const [row] = await this.database.query<{ time: number | null }>(
      `SELECT (date_part('epoch', max(time)) * 1000)::float8 AS time FROM market_data WHERE symbol = $1 AND timeframe = '1m'`,
      [symbol],
    );
    return row?.time ?? null;
  }

  /** Re-materialises [start, end) of one continuous aggregate; both ends must be bucket boundaries. */
  async refreshAggregate(view: string, span: TimeSpan): Promise<void> {
    // CALL must not run inside a transaction block; database.query runs it on its own.
    await this.database.query('CALL refresh_continuous_aggregate($1::regclass, to_timestamp($2 / 1000.0), to_timestamp($3 / 1000.0))', [
      view,
      span.start,
      span.end,
    ]);
  }

  /** How many of `starts` have a stored bar of `timeframe`. */
  async countStoredAt(symbol: string, timeframe: TimeframeValue, starts: readonly number[]): Promise<number> {
    if (starts.length === 0) return 0;
    const [row] = await this.database.query<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM market_data
       WHERE symbol = $1 AND timeframe = $2
         AND time IN (SELECT to_timestamp(t / 1000.0) FROM unnest($3::float8[]) AS t)`,
      [symbol, timeframe, `{${starts.join(',')}}`],
    );
    return row.n;
  }

  /** Stored 1m bars of `symbol` in [start, end). */
  async countMinuteBars(symbol: string, span: TimeSpan): Promise<number> {
    const [row] = await this.database.query<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM market_data
       WHERE symbol = $1 AND timeframe = '1m' AND time >= to_timestamp($2 / 1000.0) AND time < to_timestamp($3 / 1000.0)`,
      [symbol, span.start, span.end],
    );
    return row.n;
  }
}

function toRolledUpBar(row: DerivedRow): RolledUpBar {
  return {
    time: row.time,
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    volume: row.volume,
    vwap: row.vwap,
    trades: row.trades,
    tally: {
      minuteBars: row.minute_bars,
      regularMorningBars: row.regular_morning_bars,
      regularAfternoonBars: row.regular_afternoon_bars,
    },
  };
}

/** `{[a,b),[c,d)}` with ISO instants: spans as one tstzmultirange parameter (PostgreSQL >= 14). */
function multirangeLiteral(spans: readonly TimeSpan[]): string {
  const ranges = spans.map((span) => `[${new Date(span.start).toISOString()},${new Date(span.end).toISOString()})`);
  return `{${ranges.join(',')}}`;
}
