/**
 * Backfill of 30 days of 1m bars for 10 symbols at 60 requests/min against the fake
 * provider (which enforces 60/min itself): wall time vs the floor, requests x 60 s / rate.
 * Target: at most 1.1x, no 429.
 *
 *   npm run bench -- bench/backfill-rate.ts
 */
import { FakePolygonServer } from '@app/polygon/testing';
import { elapsedMs, startBenchDatabase } from './support/bench-database';
import { BENCH_FROM, BENCH_RATE_PER_MINUTE, BENCH_SYMBOLS, BENCH_TO, backfillContext, benchEnv, siblingDatabase } from './backfill-common';

/** One run on a fresh database; `pageLimit` below the provider's 50000 makes more, smaller windows. */
async function measure(label: string, databaseUrl: string, pageLimit?: number): Promise<void> {
  const fake = await FakePolygonServer.start({ rateLimit: { requests: BENCH_RATE_PER_MINUTE, windowMs: 60_000 } });
  const context = await backfillContext(benchEnv(databaseUrl, fake.url), pageLimit ? { pageLimit } : {});
  try {
    const started = process.hrtime.bigint();
    const reports = await context.service.run({ symbols: BENCH_SYMBOLS, timeframes: ['1m'], from: BENCH_FROM, to: BENCH_TO });
    const wallMs = elapsedMs(started);
    const requests = fake.requestCount;
    const floorMs = (requests * 60_000) / BENCH_RATE_PER_MINUTE;
    const bars = reports.reduce((sum, r) => sum + r.bars, 0);
    console.log(
      `${label}: ${BENCH_SYMBOLS.length} symbols x 30 days of 1m, ${BENCH_RATE_PER_MINUTE} requests/min, concurrency 4 (default)`,
    );
    console.log(`  jobs done        ${reports.filter((r) => r.outcome === 'done').length}/${reports.length}`);
    console.log(`  bars             ${bars}`);
    console.log(`  requests         ${requests} (429: ${fake.countStatus(429)})`);
    console.log(`  wall             ${(wallMs / 1000).toFixed(2)} s`);
    console.log(`  floor            ${(floorMs / 1000).toFixed(2)} s (requests x 60 s / rate)`);
    console.log(`  ratio            ${(wallMs / floorMs).toFixed(3)}x (target <= 1.1)`);
  } finally {
    await context.close();
    await fake.stop();
  }
}

async function main(): Promise<void> {
  const bench = await startBenchDatabase('postgresql');
  try {
    await measure('provider pages (limit 50000, one window per symbol)', bench.url);
    await measure('small pages (limit 5000, several windows per symbol)', await siblingDatabase(bench.url, 'bench_small_pages'), 5_000);
  } finally {
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
