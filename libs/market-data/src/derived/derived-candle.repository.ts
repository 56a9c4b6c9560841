import { Injectable } from '@nestjs/common';
import type { TimeRange } from '@app/core';
import { DatabaseService } from '@app/database';
import { readAggregateSql } from './derived-candle.sql';
import { type BucketRange, type RolledUpBar, type RolledUpRow, toRolledUpBar } from './rolled-up-bar';

/**
 * The only code that reads and refreshes the continuous aggregates market_data_5m ... market_data_1w
 * (TimescaleDB; migration 1764000000100). Reads of market_data itself, the query-time rollups
 * included, are CandleRepository's.
 */
@Injectable()
export class DerivedCandleRepository {
  constructor(private readonly database: DatabaseService) {}

  /** True on TimescaleDB, where migration 1764000000100 created the continuous aggregates. */
  get hasContinuousAggregates(): boolean {
    return this.database.hasTimescale;
  }

  async readAggregate(view: string, range: BucketRange): Promise<RolledUpBar[]> {
    const rows = await this.database.readQuery<RolledUpRow>(readAggregateSql(view, range.order), [
      range.symbol,
      range.start,
      range.end,
      range.limit,
    ]);
    return rows.map(toRolledUpBar);
  }

  /** Re-materialises [start, end) of one continuous aggregate; both ends must be bucket boundaries. */
  async refreshAggregate(view: string, range: TimeRange): Promise<void> {
    // CALL must not run inside a transaction block; database.query runs it on its own.
    await this.database.query('CALL refresh_continuous_aggregate($1::regclass, to_timestamp($2 / 1000.0), to_timestamp($3 / 1000.0))', [
      view,
      range.start,
      range.end,
    ]);
  }
}
