/**
 * Bulk upsert of one-minute candles through CandleRepository vs a raw text COPY of the
 * same rows, in the same run, on a fresh embedded PostgreSQL.
 *   npm run bench -- bench/upsert-vs-copy.ts [rows]
 */
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { CandleRepository } from '@app/market-data';
import { Candle } from '@app/core';
import { elapsedMs, startBenchDatabase } from './support/bench-database';
import { syntheticMinuteYear } from './support/synthetic-bars';

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 240_000);
  const bench = await startBenchDatabase();
  const repository = bench.context.get(CandleRepository);
  const bars = syntheticMinuteYear('BENCH', 2023).slice(0, rows);
  const client = new Client({ connectionString: bench.url });
  await client.connect();
  await client.query('CREATE TABLE copy_target (LIKE market_data INCLUDING ALL)');

  const results: { copy: number[]; upsert: number[]; reupsert: number[] } = { copy: [], upsert: [], reupsert: [] };
  for (let round = 0; round < 3; round++) {
    await client.query('TRUNCATE copy_target');
    await client.query('TRUNCATE market_data');
    await client.query('CHECKPOINT');

    let start = process.hrtime.bigint();
    await pipeline(Readable.from(copyLines(bars)), client.query(copyFrom('COPY copy_target FROM STDIN')));
    results.copy.push(elapsedMs(start));

    start = process.hrtime.bigint();
    await repository.upsertMany(bars);
    results.upsert.push(elapsedMs(start));

    start = process.hrtime.bigint();
    await repository.upsertMany(bars);
    results.reupsert.push(elapsedMs(start));
  }
  const best = (xs: number[]): number => Math.min(...xs);
  const rate = (ms: number): number => Math.round(rows / (ms / 1000));
  console.log(`rows per run: ${rows} one-minute bars (best of 3 rounds)`);
  console.log(`raw text COPY:               ${best(results.copy).toFixed(0)} ms  ${rate(best(results.copy))} rows/s`);
  console.log(`repository upsert (new):     ${best(results.upsert).toFixed(0)} ms  ${rate(best(results.upsert))} rows/s`);
  console.log(`repository upsert (re-run):  ${best(results.reupsert).toFixed(0)} ms  ${rate(best(results.reupsert))} rows/s`);
  console.log(
    `ratio upsert/COPY throughput: ${(best(results.copy) / best(results.upsert)).toFixed(2)}x (target >= 0.5x, >= 100,000 rows/s)`,
  );
  await client.end();
  await bench.close();
}

function* copyLines(bars: Candle[]): Generator<string> {
  const nullable = (v: number | null): string => (v === null ? '\\N' : String(v));
  let chunk = '';
  for (const c of bars) {
    chunk += `${new Date(c.time).toISOString()}\t${c.symbol}\t${c.timeframe}\t${c.open}\t${c.high}\t${c.low}\t${c.close}\t${c.volume}\t${nullable(c.vwap)}\t${nullable(c.trades)}\n`;
    if (chunk.length > 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
