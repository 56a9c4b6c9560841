/**
 * Storage on TimescaleDB after compression, for the real SPY one-minute fixture
 * (2011-01, 14,180 bars): bytes per candle before and after compression, the ratio,
 * and the size extrapolated to a symbol-year. In-process TimescaleDB (PGlite).
 *   npm run bench -- bench/storage-timescale.ts
 */
import { CandleRepository } from '@app/market-data';
import { spyMinuteCandles } from '@app/polygon/testing';
import { startBenchDatabase } from './support/bench-database';

const EXTENDED_BARS_PER_YEAR = 252 * 960;

async function main(): Promise<void> {
  const bench = await startBenchDatabase('timescaledb');
  const candles = spyMinuteCandles();
  await bench.context.get(CandleRepository).upsertMany(candles);
  const before = await bench.database.query<{ bytes: number }>(`SELECT hypertable_size('market_data')::float8 AS bytes`);
  await bench.database.query(`SELECT compress_chunk(c) FROM show_chunks('market_data') c`);
  const [stats] = await bench.database.query<{ before: number; after: number; chunks: number }>(
    `SELECT sum(before_compression_total_bytes)::float8 AS before, sum(after_compression_total_bytes)::float8 AS after,
            count(*)::int AS chunks
     FROM chunk_compression_stats('market_data') WHERE compression_status = 'Compressed'`,
  );
  const [after] = await bench.database.query<{ bytes: number }>(`SELECT hypertable_size('market_data')::float8 AS bytes`);
  const n = candles.length;
  console.log(`SPY 1m fixture: ${n} bars in ${stats.chunks} chunks (7-day chunks)`);
  console.log(`uncompressed (heap+index+toast): ${before[0].bytes} B = ${(before[0].bytes / n).toFixed(1)} B/bar`);
  console.log(
    `compressed:                      ${stats.after} B = ${(stats.after / n).toFixed(1)} B/bar (hypertable_size after: ${after.bytes} B)`,
  );
  console.log(`compression ratio: ${(stats.before / stats.after).toFixed(1)}x`);
  console.log(
    `extrapolated symbol-year (${EXTENDED_BARS_PER_YEAR} extended-hours bars): ${(((stats.after / n) * EXTENDED_BARS_PER_YEAR) / 1024).toFixed(0)} KB ` +
      `(fixture density: ${(((stats.after / n) * (n / 20) * 252) / 1024).toFixed(0)} KB for 252 days like these 20; anchor to beat: ~250 KB)`,
  );
  await bench.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
