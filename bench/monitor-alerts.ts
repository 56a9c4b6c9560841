/**
 * Cost of one alert evaluation (every built-in rule against the shared tables, under the
 * alert lock: latency windows, 429s, the newest storage sample, failed backfills, and the
 * newest 1m bar of each tracked symbol for MarketDataStale) on a database holding 10 tracked
 * symbols x a year of extended-hours 1m bars (2.4 M rows), against one read of a day of 1m
 * (960 bars) through CandleRepository in the same run. Medians of RUNS interleaved runs.
 *   npm run bench -- bench/monitor-alerts.ts [postgresql|timescaledb]
 */
import type { Engine } from '@app/database';
import { CandleRepository, TrackedSymbolRepository } from '@app/market-data';
import { AlertEvaluator } from '@app/monitoring/testing';
import { AppModule } from '../apps/api/src/app.module';
import { startBenchDatabase } from './support/bench-database';
import { interleavedMedians } from './support/interleaved';
import { syntheticMinuteYear } from './support/synthetic-bars';

// Crypto trades around the clock, so MarketDataStale reads every symbol's newest bar whenever this runs.
const SYMBOLS = ['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOGE', 'DOT', 'LTC', 'LINK', 'AVAX'].map((coin) => `X:${coin}USD`);
const WARMUP = 3;
const RUNS = 15;

async function main(): Promise<void> {
  const engine: Engine = process.argv[2] === 'timescaledb' ? 'timescaledb' : 'postgresql';
  const app = AppModule.register({
    // A key turns ingestion on (MarketDataStale only watches then); nothing is scheduled, so nothing is fetched.
    env: {
      LOG_LEVEL: 'silent',
      POLYGON_API_KEY: 'bench',
      ALERT_EVALUATION_INTERVAL: '1h',
      STORAGE_SAMPLE_INTERVAL: '1h',
      BACKFILL_ENABLED: 'false',
    },
  });
  const bench = await startBenchDatabase(engine, [app]);
  const repository = bench.context.get(CandleRepository);
  const tracked = bench.context.get(TrackedSymbolRepository);
  for (const symbol of SYMBOLS) {
    await repository.upsertMany(syntheticMinuteYear(symbol, 2023));
    await tracked.insert(symbol, ['1m', '1h', '1d'], 'crypto', null);
  }
  await bench.database.query('VACUUM ANALYZE market_data');
  const evaluator = bench.context.get(AlertEvaluator);
  const day = Date.UTC(2023, 5, 1);
  const runs = {
    evaluation: async () => void (await evaluator.evaluateIfFree()),
    'day of 1m': async () =>
      void (await repository.findRange({ symbol: SYMBOLS[0], timeframe: '1m', start: day, end: day + 86_400_000, limit: 10_000 })),
  };
  const medians = await interleavedMedians(runs, WARMUP, RUNS);
  console.log(`${engine}: ${SYMBOLS.length} tracked symbols x 1 year of 1m`);
  console.log(`one alert evaluation median ${medians.evaluation.toFixed(1)} ms`);
  console.log(`a day of 1m (960 bars)  median ${medians['day of 1m'].toFixed(1)} ms`);
  console.log(
    `ratio evaluation/day read: ${(medians.evaluation / medians['day of 1m']).toFixed(2)} (${RUNS} runs each after ${WARMUP} warm-up)`,
  );
  await bench.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
