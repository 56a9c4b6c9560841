import { Injectable } from '@nestjs/common';
import type { TimeframeValue } from '@app/core';
import { DatabaseService } from '@app/database';

/** Reads only the start times of stored bars: what the gap report compares with the calendar. */
@Injectable()
export class StoredBarTimesRepository {
  constructor(private readonly database: DatabaseService) {}

  /** Start times (Unix ms, ascending) of the bars stored for a symbol and timeframe in [start, end). */
  async times(symbol: string, timeframe: TimeframeValue, start: number, end: number): Promise<number[]> {
    const rows = await this.database.query<{ t: number }>(
      `SELECT (extract(epoch FROM time) * 1000)::float8 AS t FROM market_data
       WHERE symbol = $1 AND timeframe = $2 AND time >= to_timestamp($3::float8 / 1000.0) AND time < to_timestamp($4::float8 / 1000.0)
       ORDER BY time`,
      [symbol, timeframe, start, end],
    );
    return rows.map((row) => Math.round(row.t));
  }
}
