/**
 * The Polygon-compatible aggregates route against references measured in the same run.
 *
 *   npm run bench -- bench/polygon-compat.ts [--rounds 40] [--year-rounds 5]
 *
 * One embedded PostgreSQL holding a year of SPY 1m bars (241,920: 252 sessions x 960,
 * bench/support/synthetic-bars.ts) and two instances of the whole app in this process, one with
 * the query cache (warm) and one with CACHE_ENABLED=false (every answer computed: cold).
 * 1. day: one day of 1m bars (960) through /v2/aggs/ticker/SPY/range/1/minute/... and through
 *    /api/v1/asset/SPY/candles?timeframe=1m, one request at a time, taken in turns; identity
 *    encoding for both (the candles route would otherwise send br), body read whole.
 * 2. year: the same year of 1m through @polygon.io/client-js with pagination on (5 pages of
 *    limit 50000, merged by the client) against one raw SQL fetch of the same rows with pg.
 * Prints medians and the ratios (target for the day: /v2/aggs <= 1.2x /candles, warm and cold).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DatabaseService, EmbeddedPostgresEngine } from '@app/database';
import { CandleRepository } from '@app/market-data';
import { AppModule } from '../apps/api/src/app.module';
import { setupApp } from '../apps/api/src/setup-app';
import { interleavedMedians } from './support/interleaved';
import { syntheticMinuteYear } from './support/synthetic-bars';

const SYMBOL = 'SPY';
/** Wednesday 2023-06-07: the synthetic session runs 09:00-01:00 UTC, 960 bars. */
const DAY_START = Date.UTC(2023, 5, 7, 9);
const DAY_END = DAY_START + 16 * 3_600_000;
const YEAR_START = Date.UTC(2023, 0, 1);
const YEAR_END = Date.UTC(2024, 0, 1);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

async function startApp(databaseUrl: string, cache: boolean): Promise<{ app: INestApplication; url: string }> {
  const env = {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: '1000000',
    BACKFILL_ENABLED: 'false',
    CACHE_ENABLED: String(cache),
    CACHE_MAX_BYTES: String(512 * 1024 * 1024),
  };
  const app = setupApp(await NestFactory.create(AppModule.register({ env }), { logger: false }));
  await app.listen(0, '127.0.0.1');
  await app.get(DatabaseService).whenReady();
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

/** Fetches a URL, reads the body whole, checks what came back. */
async function fetchBars(url: string, expectBars: number, barsOf: (body: Record<string, unknown[]>) => unknown[]): Promise<void> {
  const response = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  const bars = barsOf((await response.json()) as Record<string, unknown[]>).length;
  if (bars !== expectBars) throw new Error(`${url}: ${bars} bars, expected ${expectBars}`);
}

async function main(): Promise<void> {
  const rounds = option('rounds', 40);
  const yearRounds = option('year-rounds', 5);
  const dataDir = mkdtempSync(join(tmpdir(), 'polygon-compat-bench-'));
  const server = new EmbeddedPostgresEngine({ dataDir });
  const url = await EmbeddedPostgresEngine.ensureDatabase(await server.start(), 'bench');
  const warm = await startApp(url, true);
  const cold = await startApp(url, false);
  try {
    const bars = syntheticMinuteYear(SYMBOL, 2023);
    await warm.app.get(CandleRepository).upsertMany(bars);
    const pg = new Client({ connectionString: url });
    await pg.connect();
    await pg.query('VACUUM ANALYZE market_data');
    const yearBars = bars.filter((bar) => bar.time >= YEAR_START && bar.time < YEAR_END).length;
    console.log(`${bars.length} 1m bars of ${SYMBOL}; load average ${loadAverage()}`);

    const aggs = (base: string) => `${base}/v2/aggs/ticker/${SYMBOL}/range/1/minute/${DAY_START}/${DAY_END - 1}?limit=50000`;
    const candles = (base: string) => `${base}/api/v1/asset/${SYMBOL}/candles?timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=1000`;
    const day = await interleavedMedians(
      {
        aggsWarm: () => fetchBars(aggs(warm.url), 960, (body) => body.results),
        candlesWarm: () => fetchBars(candles(warm.url), 960, (body) => body.bars),
        aggsCold: () => fetchBars(aggs(cold.url), 960, (body) => body.results),
        candlesCold: () => fetchBars(candles(cold.url), 960, (body) => body.bars),
      },
      10,
      rounds,
    );
    console.log(`\none day of 1m (960 bars), ${rounds} requests each, medians in ms`);
    console.log(
      `  warm (cache hit)   /v2/aggs ${day.aggsWarm.toFixed(2)}  /candles ${day.candlesWarm.toFixed(2)}  ratio ${(day.aggsWarm / day.candlesWarm).toFixed(2)}`,
    );
    console.log(
      `  cold (cache off)   /v2/aggs ${day.aggsCold.toFixed(2)}  /candles ${day.candlesCold.toFixed(2)}  ratio ${(day.aggsCold / day.candlesCold).toFixed(2)}  (target <= 1.2)`,
    );

    const { restClient } = await import('@polygon.io/client-js');
    const viaClient = (base: string) => async () => {
      const answer = await restClient('bench', base, { pagination: true }).getStocksAggregates(
        SYMBOL,
        1,
        'minute' as never,
        String(YEAR_START),
        String(YEAR_END - 1),
        true,
        'asc' as never,
        50_000,
      );
      if (answer.results?.length !== yearBars) throw new Error(`client: ${answer.results?.length} bars, expected ${yearBars}`);
    };
    const rawSql = async () => {
      const { rows } = await pg.query(
        `SELECT time, open, high, low, close, volume, vwap, trades FROM market_data
         WHERE symbol = $1 AND timeframe = '1m' AND time >= $2 AND time < $3 ORDER BY time`,
        [SYMBOL, new Date(YEAR_START), new Date(YEAR_END)],
      );
      if (rows.length !== yearBars) throw new Error(`raw SQL: ${rows.length} rows`);
    };
    const year = await interleavedMedians({ clientWarm: viaClient(warm.url), clientCold: viaClient(cold.url), rawSql }, 1, yearRounds);
    console.log(`\na year of 1m (${yearBars} bars, 5 pages), ${yearRounds} runs each, medians in ms`);
    console.log(`  raw SQL fetch (pg, one query)                 ${year.rawSql.toFixed(0)}`);
    console.log(
      `  @polygon.io/client-js, pagination, cold       ${year.clientCold.toFixed(0)}  ratio ${(year.clientCold / year.rawSql).toFixed(2)}`,
    );
    console.log(
      `  @polygon.io/client-js, pagination, warm       ${year.clientWarm.toFixed(0)}  ratio ${(year.clientWarm / year.rawSql).toFixed(2)}`,
    );
    console.log(`load average at the end ${loadAverage()}`);
    await pg.end();
  } finally {
    await warm.app.close();
    await cold.app.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
