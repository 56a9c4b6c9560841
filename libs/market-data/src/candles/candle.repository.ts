import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@app/database';
import { TimeframeValue } from '@app/config';
import { Candle, CandleRangeQuery } from './candle';

/** Rows per INSERT statement: big enough to amortise the round trip, small enough to stay well under 1 GB of parameters. */
export const UPSERT_BATCH_SIZE = 10_000;

const COLUMNS = ['open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'] as const;

const UPSERT_SQL = `
  INSERT INTO market_data (time, symbol, timeframe, open, high, low, close, volume, vwap, trades)
  SELECT to_timestamp(t / 1000.0), s, tf, o, h, l, c, v, vw, n
  FROM unnest($1::float8[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[],
              $7::float8[], $8::float8[], $9::float8[], $10::int8[]) AS u(t, s, tf, o, h, l, c, v, vw, n)
  ON CONFLICT (symbol, timeframe, time) DO UPDATE SET
    ${COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
  WHERE (${COLUMNS.map((c) => `market_data.${c}`).join(', ')})
        IS DISTINCT FROM (${COLUMNS.map((c) => `EXCLUDED.${c}`).join(', ')})`;

// Epoch ms out as float8: exact for whole milliseconds and far cheaper to parse than a Date.
const SELECT_COLUMNS = `(extract(epoch FROM time) * 1000)::float8 AS time, open, high, low, close, volume, vwap,
  trades::float8 AS trades`;

interface CandleRow {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | null;
}

/**
 * The only code that reads and writes market_data. Writes are bulk and idempotent
 * (one statement per batch; a revised bar overwrites, an identical one is left alone).
 */
@Injectable()
export class CandleRepository {
  constructor(private readonly database: DatabaseService) {}

  /** Upserts bars; returns how many rows were inserted or changed. */
  async upsertMany(candles: readonly Candle[]): Promise<number> {
    const unique = lastWins(candles);
    let written = 0;
    for (let i = 0; i < unique.length; i += UPSERT_BATCH_SIZE) {
      const batch = unique.slice(i, i + UPSERT_BATCH_SIZE);
      written += await this.database.execute(UPSERT_SQL, toArrayParams(batch));
    }
    return written;
  }

  /** Bars in [start, end), ordered by time, at most `limit`. */
  async findRange(query: CandleRangeQuery): Promise<Candle[]> {
    const order = query.order === 'desc' ? 'DESC' : 'ASC';
    const rows = await this.database.query<CandleRow>(
      `SELECT ${SELECT_COLUMNS} FROM market_data
       WHERE symbol = $1 AND timeframe = $2 AND time >= to_timestamp($3 / 1000.0) AND time < to_timestamp($4 / 1000.0)
       ORDER BY time ${order} LIMIT $5`,
      [query.symbol, query.timeframe, query.start, query.end, query.limit],
    );
    return rows.map((row) => ({ symbol: query.symbol, timeframe: query.timeframe, ...row }));
  }

  /** Number of stored bars for a symbol and timeframe in [start, end). */
  async count(symbol: string, timeframe: TimeframeValue, start: number, end: number): Promise<number> {
    const [row] = await this.database.query<{ n: number }>(
      `SELECT count(*)::float8 AS n FROM market_data
       WHERE symbol = $1 AND timeframe = $2 AND time >= to_timestamp($3 / 1000.0) AND time < to_timestamp($4 / 1000.0)`,
      [symbol, timeframe, start, end],
    );
    return row.n;
  }

  /** Deletes every bar of a symbol (all timeframes); returns the number of rows removed. */
  async deleteSymbol(symbol: string): Promise<number> {
    return this.database.execute('DELETE FROM market_data WHERE symbol = $1', [symbol]);
  }
}

/** ON CONFLICT cannot touch a row twice in one statement: keep the last copy of each bar. */
function lastWins(candles: readonly Candle[]): readonly Candle[] {
  const seen = new Map<string, Candle>();
  for (const candle of candles) seen.set(`${candle.symbol}\u0000${candle.timeframe}\u0000${candle.time}`, candle);
  return seen.size === candles.length ? candles : [...seen.values()];
}

/**
 * Postgres array literals built by hand: the generic parameter serialiser is the
 * bottleneck for 10k-row batches. Numbers print in shortest round-trip form, so
 * float8 values arrive bit-for-bit.
 */
function toArrayParams(batch: readonly Candle[]): string[] {
  const numbers = (pick: (c: Candle) => number | null): string =>
    `{${batch.map((c) => numberLiteral(pick(c))).join(',')}}`;
  const texts = (pick: (c: Candle) => string): string => `{${batch.map((c) => quoteArrayText(pick(c))).join(',')}}`;
  return [
    numbers((c) => c.time),
    texts((c) => c.symbol),
    texts((c) => c.timeframe),
    numbers((c) => c.open),
    numbers((c) => c.high),
    numbers((c) => c.low),
    numbers((c) => c.close),
    numbers((c) => c.volume),
    numbers((c) => c.vwap),
    numbers((c) => c.trades),
  ];
}

function numberLiteral(value: number | null): string {
  if (value === null) return 'NULL';
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

function quoteArrayText(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
