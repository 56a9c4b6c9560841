/**
 * Enrichment's figures (issue "Enrichment"), on one symbol tracked in 1m with the default
 * indicators (sma:20, ema:20, rsi:14, macd:12:26:9, bbands:20:2):
 *   1. A year of 1m bars (252 days x 960 = 241,920) computed and stored by one enrichment run,
 *      against computing the same values in memory alone (the bars already read), same process.
 *   2. Incremental update after a 20-bar refresh of the series (the newest 20 bars revised):
 *      write to stored values, end to end (the write's commit starts the job), p95 of RUNS.
 *   3. Reading a day of 1m (960 bars) with 3 stored indicators attached (candles?indicators=)
 *      against the candles alone, through the candle answers with the cache off: ratio of medians.
 *   npm run bench -- bench/enrichment.ts [postgresql|timescaledb]
 */
import { AppConfigService } from '@app/config';
import type { Engine } from '@app/database';
import { computeIndicator, EnrichmentScheduler, parseIndicatorSpec, sessionKeyFor } from '@app/enrichment';
import { CandleAnswers, CandleChangeLog, CandleRepository, TrackedSymbolRepository } from '@app/market-data';
import { AppModule } from '../apps/api/src/app.module';
import { elapsedMs, percentile, startBenchDatabase } from './support/bench-database';
import { interleavedMedians } from './support/interleaved';
import { syntheticMinuteYear } from './support/synthetic-bars';

const SYMBOL = 'SPY';
const REFRESHES = 40;
const WARMUP = 3;
const RUNS = 21;

async function main(): Promise<void> {
  const engine: Engine = process.argv[2] === 'timescaledb' ? 'timescaledb' : 'postgresql';
  const app = AppModule.register({
    env: { LOG_LEVEL: 'silent', ENRICHMENT_ENABLED: 'true', ENRICHMENT_INTERVAL: '1h', CACHE_ENABLED: 'false' },
  });
  const bench = await startBenchDatabase(engine, [app]);
  const bars = syntheticMinuteYear(SYMBOL, 2023);
  const scheduler = bench.context.get(EnrichmentScheduler);
  const defaults = bench.context.get(AppConfigService).get('ENRICHMENT_DEFAULT_INDICATORS').split(',');
  await bench.context.get(TrackedSymbolRepository).insert(SYMBOL, ['1m'], 'stocks', null);
  await bench.context.get(CandleRepository).upsertMany(bars);
  await scheduler.idle(); // the runs the load started
  await bench.database.query('VACUUM ANALYZE market_data');

  // 1. A year from scratch: one run (no stored values, the whole series marked) against the same computation in memory.
  await bench.database.execute('DELETE FROM indicator_blocks');
  await bench.database.execute('DELETE FROM enrichment_series');
  await bench.context.get(CandleChangeLog).mark([{ symbol: SYMBOL, timeframe: '1m', changedFrom: bars[0].time }]);
  const storedStart = process.hrtime.bigint();
  await scheduler.catchUpNow();
  const storedMs = elapsedMs(storedStart);
  const context = { sessionOf: sessionKeyFor(SYMBOL) };
  const computeStart = process.hrtime.bigint();
  for (const key of defaults) computeIndicator(parseIndicatorSpec(key, 'bench'), bars, context);
  const computeMs = elapsedMs(computeStart);
  const [{ blocks }] = await bench.database.query<{ blocks: number }>('SELECT count(*)::int AS blocks FROM indicator_blocks');
  console.log(`${engine}: ${bars.length} bars x ${defaults.length} indicators (${defaults.join(', ')}), ${blocks} blocks stored`);
  console.log(`computed and stored (one enrichment run) ${storedMs.toFixed(0)} ms`);
  console.log(`computed in memory alone                 ${computeMs.toFixed(0)} ms`);
  console.log(`ratio stored/computed: ${(storedMs / computeMs).toFixed(2)}`);

  // 2. Refresh of the newest 20 bars, revised each time: write, job, stored values.
  const repository = bench.context.get(CandleRepository);
  const latencies: number[] = [];
  for (let run = 0; run < REFRESHES; run++) {
    const revised = bars.slice(-20).map((bar) => ({ ...bar, close: bar.close + (run + 1) * 1e-3, volume: bar.volume + run + 1 }));
    const start = process.hrtime.bigint();
    await repository.upsertMany(revised);
    await scheduler.idle();
    latencies.push(elapsedMs(start));
  }
  const [{ runs }] = await bench.database.query<{ runs: number }>(`SELECT min(runs)::int AS runs FROM enrichment_series`);
  console.log(
    `20-bar refresh, write to stored values: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms ` +
      `(${REFRESHES} refreshes, ${runs} runs per indicator in all)`,
  );

  // 3. A day of 1m with 3 stored indicators attached, against the candles alone (cache off).
  const answers = bench.context.get(CandleAnswers);
  const day = { start: bars[bars.length - 960].time, end: bars[bars.length - 1].time + 60_000 };
  const candles = { symbol: SYMBOL, timeframe: '1m', start: day.start, end: day.end, limit: 1000 };
  const read = (indicators?: string) => async () => {
    const answer = await answers.answer({ candles, format: 'json', indicators });
    if (indicators && answer.headers['X-Indicator-Source'] !== 'stored')
      throw new Error(`not stored: ${answer.headers['X-Indicator-Source']}`);
  };
  const medians = await interleavedMedians({ candles: read(), 'candles+3 indicators': read('sma:20,rsi:14,macd:12:26:9') }, WARMUP, RUNS);
  console.log(`a day of 1m, candles alone          median ${medians.candles.toFixed(2)} ms`);
  console.log(`a day of 1m, with 3 indicators      median ${medians['candles+3 indicators'].toFixed(2)} ms`);
  console.log(
    `ratio with/without: ${(medians['candles+3 indicators'] / medians.candles).toFixed(2)} (${RUNS} runs each after ${WARMUP} warm-up)`,
  );
  await bench.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
