import { Injectable } from '@nestjs/common';
import type { AssetClass, TimeframeValue } from '@app/core';
import { DatabaseService } from '@app/database';
import type { TrackedSymbol } from './tracked-symbol';

interface TrackedSymbolRow {
  symbol: string;
  timeframes: string[];
  asset_class: string;
  active: boolean;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `symbol, timeframes, asset_class, active,
  (extract(epoch FROM created_at) * 1000)::float8 AS created_at,
  (extract(epoch FROM updated_at) * 1000)::float8 AS updated_at`;

/** The only code that reads and writes tracked_symbols. */
@Injectable()
export class TrackedSymbolRepository {
  constructor(private readonly database: DatabaseService) {}

  async findAll(): Promise<TrackedSymbol[]> {
    const rows = await this.database.query<TrackedSymbolRow>(`SELECT ${COLUMNS} FROM tracked_symbols ORDER BY symbol`);
    return rows.map(toTrackedSymbol);
  }

  async findOne(symbol: string): Promise<TrackedSymbol | undefined> {
    const rows = await this.database.query<TrackedSymbolRow>(`SELECT ${COLUMNS} FROM tracked_symbols WHERE symbol = $1`, [symbol]);
    return rows.length ? toTrackedSymbol(rows[0]) : undefined;
  }

  /** Inserts a new row; undefined when the symbol is already tracked (nothing changes then). */
  async insert(symbol: string, timeframes: readonly TimeframeValue[], assetClass: AssetClass): Promise<TrackedSymbol | undefined> {
    const rows = await this.database.query<TrackedSymbolRow>(
      `INSERT INTO tracked_symbols (symbol, timeframes, asset_class) VALUES ($1, $2::text[], $3)
       ON CONFLICT (symbol) DO NOTHING RETURNING ${COLUMNS}`,
      [symbol, textArray(timeframes), assetClass],
    );
    return rows.length ? toTrackedSymbol(rows[0]) : undefined;
  }

  /** Replaces the timeframes; undefined when the symbol is not tracked. */
  async updateTimeframes(symbol: string, timeframes: readonly TimeframeValue[]): Promise<TrackedSymbol | undefined> {
    // A CTE so the statement reports SELECT and the driver hands back the rows, not [rows, count].
    const rows = await this.database.query<TrackedSymbolRow>(
      `WITH updated AS (
         UPDATE tracked_symbols SET timeframes = $2::text[], updated_at = now() WHERE symbol = $1 RETURNING *
       ) SELECT ${COLUMNS} FROM updated`,
      [symbol, textArray(timeframes)],
    );
    return rows.length ? toTrackedSymbol(rows[0]) : undefined;
  }

  /** Removes the row; false when the symbol was not tracked. */
  async delete(symbol: string): Promise<boolean> {
    return (await this.database.execute('DELETE FROM tracked_symbols WHERE symbol = $1', [symbol])) > 0;
  }
}

function toTrackedSymbol(row: TrackedSymbolRow): TrackedSymbol {
  return {
    symbol: row.symbol,
    timeframes: row.timeframes as TimeframeValue[],
    assetClass: row.asset_class as AssetClass,
    active: row.active,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A Postgres array literal: both pg and the in-process engine take it the same way. */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
