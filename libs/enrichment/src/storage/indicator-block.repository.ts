import { Injectable } from '@nestjs/common';
import { DatabaseService, arrayLiteral } from '@app/database';
import { float64Bytes, float64sOf } from './float64-bytes';
import type { IndicatorState } from '../running-indicator';
import type { IndicatorBlock, StoredBlock } from './indicator-block';

/** One indicator of one series: the rows of indicator_blocks a job writes together. */
export interface IndicatorSeriesKey {
  symbol: string;
  timeframe: string;
  indicator: string;
}

/** A series: the rows of indicator_blocks of all its indicators. */
type SeriesOf = Omit<IndicatorSeriesKey, 'indicator'>;

/** Rows per INSERT: 6 parameters each, far below PostgreSQL's 65,535. */
const INSERT_BATCH = 200;

const KEY = 'symbol = $1 AND timeframe = $2 AND indicator = $3';
const AT = (n: number): string => `to_timestamp($${n}::float8 / 1000.0)`;

/** The outputs one after another, as stored. */
function outputBytes(outputs: readonly Float64Array[]): Buffer {
  const all = new Float64Array(outputs.reduce((n, values) => n + values.length, 0));
  let at = 0;
  for (const values of outputs) {
    all.set(values, at);
    at += values.length;
  }
  return float64Bytes(all);
}

interface BlockRow {
  start: number;
  bars: number;
  times: Uint8Array;
  outputs: Uint8Array;
}

/**
 * The only code that reads and writes indicator_blocks (entity: IndicatorBlockEntity). Writes are
 * bulk upserts of whole blocks; a recomputation rewrites the blocks from its first changed one on
 * and then removes the ones it no longer produced (bars deleted), so readers never see a hole.
 */
@Injectable()
export class IndicatorBlockRepository {
  constructor(private readonly database: DatabaseService) {}

  /** The state after the last bar before `before` (the newest block starting earlier), or undefined. */
  async stateBefore(key: IndicatorSeriesKey, before: number): Promise<IndicatorState | undefined> {
    const [row] = await this.database.query<{ state: IndicatorState }>(
      `SELECT state FROM indicator_blocks WHERE ${KEY} AND block_start < ${AT(4)} ORDER BY block_start DESC LIMIT 1`,
      [key.symbol, key.timeframe, key.indicator, before],
    );
    return row?.state;
  }

  /** Writes blocks of several indicators of one series, a few hundred rows per statement. */
  async upsert(series: SeriesOf, blocks: readonly { indicator: string; block: IndicatorBlock }[]): Promise<void> {
    for (let i = 0; i < blocks.length; i += INSERT_BATCH) {
      const params: unknown[] = [series.symbol, series.timeframe];
      const rows = blocks.slice(i, i + INSERT_BATCH).map(({ indicator, block }) => {
        params.push(
          indicator,
          block.start,
          block.times.length,
          float64Bytes(block.times),
          outputBytes(block.outputs),
          JSON.stringify(block.state),
        );
        const n = params.length;
        return `($1, $2, $${n - 5}, ${AT(n - 4)}, $${n - 3}::int, $${n - 2}::bytea, $${n - 1}::bytea, $${n}::jsonb)`;
      });
      await this.database.execute(
        `INSERT INTO indicator_blocks (symbol, timeframe, indicator, block_start, bars, times, outputs, state)
         VALUES ${rows.join(', ')}
         ON CONFLICT (symbol, timeframe, indicator, block_start)
         DO UPDATE SET bars = EXCLUDED.bars, times = EXCLUDED.times, outputs = EXCLUDED.outputs, state = EXCLUDED.state`,
        params,
      );
    }
  }

  /** Deletes the blocks from `from` on that are not in `kept` (block starts, Unix ms). */
  async deleteFromExcept(key: IndicatorSeriesKey, from: number, kept: readonly number[]): Promise<number> {
    return this.database.execute(
      `DELETE FROM indicator_blocks WHERE ${KEY} AND block_start >= ${AT(4)}
         AND NOT ((extract(epoch FROM block_start) * 1000)::float8 = ANY ($5::text::float8[]))`,
      [key.symbol, key.timeframe, key.indicator, from, arrayLiteral(kept)],
    );
  }

  /** Every block of the series, or of one indicator of it. */
  async delete(key: SeriesOf & { indicator?: string }): Promise<number> {
    if (key.indicator === undefined) {
      return this.database.execute('DELETE FROM indicator_blocks WHERE symbol = $1 AND timeframe = $2', [key.symbol, key.timeframe]);
    }
    return this.database.execute(`DELETE FROM indicator_blocks WHERE ${KEY}`, [key.symbol, key.timeframe, key.indicator]);
  }

  /** Per indicator of `indicators`, its blocks starting in [firstBlock, end), oldest first: one statement for all. */
  async read(series: SeriesOf, indicators: readonly string[], firstBlock: number, end: number): Promise<Map<string, StoredBlock[]>> {
    const rows = await this.database.query<BlockRow & { indicator: string }>(
      `SELECT indicator, (extract(epoch FROM block_start) * 1000)::float8 AS start, bars, times, outputs
         FROM indicator_blocks WHERE symbol = $1 AND timeframe = $2 AND indicator = ANY ($3::text::text[])
          AND block_start >= ${AT(4)} AND block_start < ${AT(5)} ORDER BY indicator, block_start`,
      [series.symbol, series.timeframe, arrayLiteral(indicators), firstBlock, end],
    );
    const byIndicator = new Map<string, StoredBlock[]>(indicators.map((indicator) => [indicator, []]));
    for (const row of rows) {
      const outputs = float64sOf(row.outputs);
      const count = outputs.length / row.bars;
      byIndicator.get(row.indicator)!.push({
        start: row.start,
        times: float64sOf(row.times),
        outputs: Array.from({ length: count }, (_, i) => outputs.subarray(i * row.bars, (i + 1) * row.bars)),
      });
    }
    return byIndicator;
  }
}
