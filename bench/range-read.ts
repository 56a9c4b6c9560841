/**
 * Range read of one day of one-minute bars (960 extended-hours bars) from a table that
 * holds a year for 10 symbols: CandleRepository.findRange vs the same SQL through a raw
 * pg Pool, interleaved in the same run.
 *   npm run bench -- bench/range-read.ts [iterations]
 */
import { Pool } from 'pg';
import { CandleRepository } from '@app/market-data';
import { elapsedMs, percentile, startBenchDatabase } from './support/bench-database';
import { syntheticMinuteYear } from './support/synthetic-bars';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'SPY', 'QQQ', 'IWM'];

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 500);
  const bench = await startBenchDatabase();
  const repository = bench.context.get(CandleRepository);
  const loadStart = process.hrtime.bigint();
  let days: number[] = [];
  for (const symbol of SYMBOLS) {
    const bars = syntheticMinuteYear(symbol, 2023);
    await repository.upsertMany(bars);
    days = [...new Set(bars.map((b) => b.time - (b.time % 86_400_000)))];
  }
  const pool = new Pool({ connectionString: bench.url, max: 4 });
  await pool.query('VACUUM ANALYZE market_data');
  const [{ n }] = (await pool.query('SELECT count(*)::int AS n FROM market_data')).rows as { n: number }[];
  console.log(`loaded ${n} bars (${SYMBOLS.length} symbols x 1 year) in ${(elapsedMs(loadStart) / 1000).toFixed(1)} s`);

  const raw = async (symbol: string, start: number, end: number): Promise<unknown[]> =>
    (
      await pool.query(
        `SELECT time, open, high, low, close, volume, vwap, trades FROM market_data
         WHERE symbol = $1 AND timeframe = '1m' AND time >= $2 AND time < $3 ORDER BY time LIMIT 10000`,
        [symbol, new Date(start), new Date(end)],
      )
    ).rows;
  const viaRepository = (symbol: string, start: number, end: number): Promise<unknown[]> =>
    repository.findRange({ symbol, timeframe: '1m', start, end, limit: 10_000 });

  const timings = { repository: [] as number[], raw: [] as number[] };
  let rows = 0;
  for (let i = -50; i < iterations; i++) {
    const symbol = SYMBOLS[Math.abs(i * 7) % SYMBOLS.length];
    const day = days[Math.abs(i * 13) % days.length];
    const order: [keyof typeof timings, typeof raw][] =
      i % 2
        ? [
            ['raw', raw],
            ['repository', viaRepository],
          ]
        : [
            ['repository', viaRepository],
            ['raw', raw],
          ];
    for (const [name, read] of order) {
      const start = process.hrtime.bigint();
      const result = await read(symbol, day, day + 86_400_000);
      if (i >= 0) timings[name].push(elapsedMs(start));
      rows = result.length;
    }
  }
  const line = (name: keyof typeof timings): string =>
    `${name.padEnd(10)} p50 ${percentile(timings[name], 50).toFixed(2)} ms  p95 ${percentile(timings[name], 95).toFixed(2)} ms`;
  console.log(`one day = ${rows} bars, ${iterations} reads each (warm)`);
  console.log(line('repository'));
  console.log(line('raw'));
  console.log(
    `ratio repository/raw: p50 ${(percentile(timings.repository, 50) / percentile(timings.raw, 50)).toFixed(2)}  p95 ${(
      percentile(timings.repository, 95) / percentile(timings.raw, 95)
    ).toFixed(2)} (target p95 < 5 ms, ratio <= 1.3)`,
  );
  await pool.end();
  await bench.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
