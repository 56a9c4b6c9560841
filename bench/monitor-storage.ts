/**
 * Cost of one storage sample (StorageMonitor.sampleNow: sizes, exact rows per timeframe,
 * compression on TimescaleDB, the insert into storage_samples and the report read back) on a
 * database holding 10 symbols x a year of extended-hours 1m bars (252 days x 960 = 241,920 a
 * symbol, 2.4 M rows), against a bare `SELECT count(*) FROM market_data` in the same run.
 * Medians of RUNS runs after WARMUP, the two interleaved.
 *   - postgresql (default): embedded PostgreSQL, normal durability (as `npm start` runs it).
 *   - timescaledb: in-process PGlite (WASM), chunks older than the compression policy's
 *     14 days compressed as they would be in production; compare its ratio, not its times.
 *   npm run bench -- bench/monitor-storage.ts [postgresql|timescaledb]
 */
import { SchedulerRegistry } from '@nestjs/schedule';
import { Registry } from 'prom-client';
import { AppConfigService } from '@app/config';
import type { Engine } from '@app/database';
import { CandleRepository } from '@app/market-data';
import { StorageMonitor } from '@app/monitoring/testing';
import { elapsedMs, startBenchDatabase } from './support/bench-database';
import { interleavedMedians } from './support/interleaved';
import { syntheticMinuteYear } from './support/synthetic-bars';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'SPY', 'QQQ', 'IWM'];
const WARMUP = 2;
const RUNS = 9;

async function main(): Promise<void> {
  const engine: Engine = process.argv[2] === 'timescaledb' ? 'timescaledb' : 'postgresql';
  const bench = await startBenchDatabase(engine);
  const repository = bench.context.get(CandleRepository);
  const loadStart = process.hrtime.bigint();
  let newestBar = 0;
  for (const symbol of SYMBOLS) {
    const bars = syntheticMinuteYear(symbol, 2023);
    await repository.upsertMany(bars);
    newestBar = Math.max(newestBar, bars[bars.length - 1].time);
  }
  if (engine === 'timescaledb') {
    await bench.database.query(
      `SELECT compress_chunk(c) FROM show_chunks('market_data', older_than => $1::timestamptz - interval '14 days') c`,
      [new Date(newestBar)],
    );
  }
  await bench.database.query('VACUUM ANALYZE market_data');
  const [{ n }] = await bench.database.query<{ n: number }>('SELECT count(*)::int AS n FROM market_data');
  console.log(`${engine}: loaded ${n} bars (${SYMBOLS.length} symbols x 1 year of 1m) in ${(elapsedMs(loadStart) / 1000).toFixed(1)} s`);

  const monitor = new StorageMonitor(bench.database, bench.context.get(AppConfigService), new SchedulerRegistry(), new Registry());
  const runs = {
    sample: async () => void (await monitor.sampleNow()),
    'count(*)': async () => void (await bench.database.query('SELECT count(*) FROM market_data')),
  };
  const medians = await interleavedMedians(runs, WARMUP, RUNS);
  const report = await monitor.report();
  console.log(`sample: database ${report?.databaseBytes} B, market_data ${report?.marketData.bytes} B, ${report?.marketData.rows} rows`);
  console.log(`one storage sample   median ${medians.sample.toFixed(1)} ms`);
  console.log(`count(*) market_data median ${medians['count(*)'].toFixed(1)} ms`);
  console.log(`ratio sample/count(*): ${(medians.sample / medians['count(*)']).toFixed(2)} (${RUNS} runs each after ${WARMUP} warm-up)`);
  await bench.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
