import { Injectable } from '@nestjs/common';
import { DatabaseService, arrayLiteral } from '@app/database';
import type { ServedSource } from '@app/market-data';

/** How far one indicator of one series is computed, and how its last run went. */
export interface EnrichmentSeriesRow {
  symbol: string;
  timeframe: string;
  indicator: string;
  source: ServedSource | null;
  /** Unix ms of the newest bar the stored values cover; null before the first run or with no bars. */
  computedThrough: number | null;
  runs: number;
  blocksWritten: number;
  lastRunAt: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

const ms = (column: string, alias: string): string => `(extract(epoch FROM ${column}) * 1000)::float8 AS "${alias}"`;

const SELECT = `SELECT symbol, timeframe, indicator, source, ${ms('computed_through', 'computedThrough')}, runs::float8 AS runs,
  blocks_written::float8 AS "blocksWritten", ${ms('last_run_at', 'lastRunAt')}, last_duration_ms AS "lastDurationMs",
  last_error AS "lastError", ${ms('last_error_at', 'lastErrorAt')} FROM enrichment_series`;

const AT = (n: number): string => `to_timestamp($${n}::float8 / 1000.0)`;

/** The only code that reads and writes enrichment_series (entity: EnrichmentSeriesEntity). */
@Injectable()
export class EnrichmentSeriesRepository {
  constructor(private readonly database: DatabaseService) {}

  all(): Promise<EnrichmentSeriesRow[]> {
    return this.database.query<EnrichmentSeriesRow>(`${SELECT} ORDER BY symbol, timeframe, indicator`);
  }

  of(symbol: string, timeframe: string): Promise<EnrichmentSeriesRow[]> {
    return this.database.query<EnrichmentSeriesRow>(`${SELECT} WHERE symbol = $1 AND timeframe = $2 ORDER BY indicator`, [
      symbol,
      timeframe,
    ]);
  }

  /** A run that brought each of `indicators` up to `computedThrough` (null: the series has no bars), in one statement. */
  async recordRuns(
    series: { symbol: string; timeframe: string },
    indicators: readonly { indicator: string; blocksWritten: number }[],
    run: { source: ServedSource | null; computedThrough: number | null; durationMs: number; at: number },
  ): Promise<void> {
    if (!indicators.length) return;
    await this.database.execute(
      `INSERT INTO enrichment_series AS e (symbol, timeframe, indicator, source, computed_through, runs, blocks_written, last_run_at,
         last_duration_ms, last_error, last_error_at)
       SELECT $1, $2, i, $5, ${AT(6)}, 1, b, ${AT(7)}, $8, NULL, NULL
       FROM unnest($3::text::text[], $4::text::int8[]) AS u(i, b)
       ON CONFLICT (symbol, timeframe, indicator) DO UPDATE SET source = EXCLUDED.source, computed_through = EXCLUDED.computed_through,
         runs = e.runs + 1, blocks_written = e.blocks_written + EXCLUDED.blocks_written, last_run_at = EXCLUDED.last_run_at,
         last_duration_ms = EXCLUDED.last_duration_ms, last_error = NULL, last_error_at = NULL`,
      [
        series.symbol,
        series.timeframe,
        arrayLiteral(indicators.map((one) => one.indicator)),
        arrayLiteral(indicators.map((one) => one.blocksWritten)),
        run.source,
        run.computedThrough,
        run.at,
        run.durationMs,
      ],
    );
  }

  /** A run of the series that failed: every listed indicator keeps its values and gets the error. */
  async recordError(symbol: string, timeframe: string, indicators: readonly string[], error: string, at: number): Promise<void> {
    if (!indicators.length) return;
    await this.database.execute(
      `INSERT INTO enrichment_series AS e (symbol, timeframe, indicator, last_error, last_error_at)
       SELECT $1, $2, i, $4, ${AT(5)} FROM unnest($3::text[]) AS i
       ON CONFLICT (symbol, timeframe, indicator) DO UPDATE SET last_error = EXCLUDED.last_error, last_error_at = EXCLUDED.last_error_at`,
      [symbol, timeframe, [...indicators], error, at],
    );
  }

  async delete(symbol: string, timeframe: string, indicator?: string): Promise<void> {
    if (indicator === undefined) {
      await this.database.execute('DELETE FROM enrichment_series WHERE symbol = $1 AND timeframe = $2', [symbol, timeframe]);
    } else {
      await this.database.execute('DELETE FROM enrichment_series WHERE symbol = $1 AND timeframe = $2 AND indicator = $3', [
        symbol,
        timeframe,
        indicator,
      ]);
    }
  }
}
