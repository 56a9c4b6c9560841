/**
 * Derived candles: a year of 1m bars for one symbol (every extended-hours minute of every
 * 2024 NYSE session, ~241k bars) read as 1h and as 1d, continuous aggregate vs query-time
 * rollup, in one run:
 *   - TimescaleDB: in-process PGlite (WASM) with the real migrations; absolute times are WASM's.
 *   - PostgreSQL: embedded server. It has no aggregates, so its reference is reading the same
 *     number of precomputed rows (the derived bars stored as native bars).
 * Figures are medians of RUNS runs after WARMUP runs:
 *   - wall ms: as seen from Node, through the repository (bare SELECT) or the service (derive()).
 *   - CPU ms: CPU time actually spent, which other processes on a shared machine inflate far
 *     less than wall time. PostgreSQL: the server backend's own (/proc/<pid>/schedstat;
 *     parallel workers off, so it is all in one process). PGlite: this Node process's (it
 *     runs the database, so this includes moving the rows out of WASM).
 *   - executor ms: the database's own execution time, EXPLAIN (ANALYZE, TIMING OFF): the read
 *     without the trip to Node (which dominates for PGlite, whose results cross a WASM boundary).
 *
 *   npm run bench -- bench/derived-candles.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { tradingWindows } from '@app/calendar';
import { EmbeddedPostgresEngine, type Engine } from '@app/database';
import type { Candle } from '@app/core';
import { CandleRepository, DerivedCandleService } from '@app/market-data';
import { DerivedCandleRepository, readAggregateSql, rollUpMinutesSql } from '@app/market-data/testing';
import { bootDatabase, type DatabaseTestContext, SERVER_ENV } from '@app/testing';

const SYMBOL = 'BENCH';
const YEAR = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) };
const WARMUP = 2;
const RUNS = 9;
const PARAMETERS = [SYMBOL, YEAR.start, YEAR.end, 100_000];
/** Stored bars of one timeframe, as CandleRepository.findRange reads them: the precomputed reference on PostgreSQL. */
const STORED_BARS_SQL = `SELECT (extract(epoch FROM time) * 1000)::float8 AS time, open, high, low, close, volume, vwap, trades::float8 AS trades
  FROM market_data WHERE symbol = $1 AND timeframe = $5
    AND time >= to_timestamp($2 / 1000.0) AND time < to_timestamp($3 / 1000.0) ORDER BY time LIMIT $4`;

/** Every minute of every 2024 extended session (04:00-20:00 New York), deterministic prices. */
function yearOfMinutes(): Candle[] {
  let state = 7;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const bars: Candle[] = [];
  for (const window of tradingWindows(SYMBOL, new Date(YEAR.start), new Date(YEAR.end), 'extended')) {
    for (let time = window.start.getTime(); time < window.end.getTime(); time += 60_000) {
      const open = 100 + random() * 10;
      const close = 100 + random() * 10;
      bars.push({
        symbol: SYMBOL,
        timeframe: '1m',
        time,
        open,
        high: Math.max(open, close) + random(),
        low: Math.min(open, close) - random(),
        close,
        volume: 1 + Math.floor(random() * 10_000),
        vwap: (open + close) / 2,
        trades: 1 + Math.floor(random() * 100),
      });
    }
  }
  return bars;
}

async function median(sample: () => Promise<number>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await sample();
  const values: number[] = [];
  for (let i = 0; i < RUNS; i++) values.push(await sample());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

async function wallMs(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function processCpuMs(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function backendCpuNs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}

/** Runs `sql` on one dedicated connection and reports what its backend spent on CPU. */
async function backendCpuMedianMs(ctx: DatabaseTestContext, sql: string, parameters: unknown[]): Promise<number> {
  const runner = ctx.database.dataSource.createQueryRunner();
  try {
    const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
    await runner.query('SET max_parallel_workers_per_gather = 0');
    return await median(async () => {
      const before = backendCpuNs(pid);
      await runner.query(sql, parameters);
      return (backendCpuNs(pid) - before) / 1e6;
    });
  } finally {
    await runner.release();
  }
}

/** Median execution time the database reports for `sql`. */
async function executorMedianMs(ctx: DatabaseTestContext, sql: string, parameters: unknown[]): Promise<number> {
  return median(async () => {
    const [row] = await ctx.database.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql}`, parameters);
    const plan = typeof row['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row['QUERY PLAN'];
    return (plan as Array<{ 'Execution Time': number }>)[0]['Execution Time'];
  });
}

interface Row {
  engine: Engine;
  timeframe: '1h' | '1d';
  read: string;
  bars: number;
  wallMs: number;
  cpuMs?: number;
  executorMs?: number;
}

async function load(engine: Engine, ctx: DatabaseTestContext, bars: Candle[]): Promise<void> {
  let started = Date.now();
  await ctx.module.get(CandleRepository).upsertMany(bars);
  console.log(`${engine}: stored ${bars.length} 1m bars in ${Date.now() - started} ms`);
  if (engine === 'timescaledb') {
    started = Date.now();
    await ctx.module.get(DerivedCandleService).refreshAfterWrite(SYMBOL, YEAR.start, YEAR.end);
    console.log(`${engine}: materialised the seven aggregates for the year in ${Date.now() - started} ms`);
  }
}

async function measure(engine: Engine, ctx: DatabaseTestContext): Promise<Row[]> {
  const service = ctx.module.get(DerivedCandleService);
  const repository = ctx.module.get(DerivedCandleRepository);
  const candles = ctx.module.get(CandleRepository);
  const rows: Row[] = [];
  for (const timeframe of ['1h', '1d'] as const) {
    const query = { symbol: SYMBOL, timeframe, ...YEAR, limit: 100_000 };
    const range = { symbol: SYMBOL, start: YEAR.start, end: YEAR.end, limit: 100_000, order: 'asc' as const };
    const derived = await service.derive(query);
    const bars = derived.length;
    const rollUpSql = rollUpMinutesSql(timeframe, 'asc', false);
    const row = (read: string, count: number, wall: number, cpu?: number, executor?: number): Row => ({
      engine,
      timeframe,
      read,
      bars: count,
      wallMs: wall,
      cpuMs: cpu,
      executorMs: executor,
    });

    if (engine === 'timescaledb') {
      const view = `market_data_${timeframe}`;
      const readView = () => repository.readAggregate(view, range);
      rows.push(
        row(
          'continuous aggregate, bare SELECT',
          bars,
          await median(() => wallMs(readView)),
          await median(() => processCpuMs(readView)),
          await executorMedianMs(ctx, readAggregateSql(view, 'asc'), PARAMETERS),
        ),
      );
      rows.push(row('continuous aggregate via derive()', bars, await median(() => wallMs(() => service.derive(query)))));
      const rollUp = () => candles.rollUpMinutes(timeframe, range);
      rows.push(
        row(
          'query-time rollup of 1m, bare SELECT',
          bars,
          await median(() => wallMs(rollUp)),
          await median(() => processCpuMs(rollUp)),
          await executorMedianMs(ctx, rollUpSql, PARAMETERS),
        ),
      );
    } else {
      // No aggregates on PostgreSQL: store the derived bars as native ones to time a precomputed read.
      await candles.upsertMany(derived.map((bar) => ({ ...bar, timeframe })));
      rows.push(
        row(
          'precomputed rows (stored bars), bare SELECT',
          bars,
          await median(() => wallMs(() => candles.findRange(query))),
          await backendCpuMedianMs(ctx, STORED_BARS_SQL, [...PARAMETERS, timeframe]),
          await executorMedianMs(ctx, STORED_BARS_SQL, [...PARAMETERS, timeframe]),
        ),
      );
      rows.push(
        row(
          'query-time rollup of 1m, bare SELECT',
          bars,
          await median(() => wallMs(() => candles.rollUpMinutes(timeframe, range))),
          await backendCpuMedianMs(ctx, rollUpSql, PARAMETERS),
          await executorMedianMs(ctx, rollUpSql, PARAMETERS),
        ),
      );
      rows.push(row('query-time rollup via derive()', bars, await median(() => wallMs(() => service.derive(query)))));
    }
    const regular = { ...query, session: 'regular' as const };
    const regularBars = (await service.derive(regular)).length;
    rows.push(row('query-time rollup, regular session, derive()', regularBars, await median(() => wallMs(() => service.derive(regular)))));
  }
  return rows;
}

async function onPostgres(bars: Candle[]): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-derived-pg-'));
  const server = new EmbeddedPostgresEngine({ dataDir, unsafeFastWrites: true });
  process.env[SERVER_ENV] = await server.start();
  try {
    const ctx = await bootDatabase('postgresql');
    try {
      await load('postgresql', ctx, bars);
      await ctx.database.query('VACUUM ANALYZE market_data');
      const [{ server_version }] = await ctx.database.query<{ server_version: string }>('SHOW server_version');
      console.log(`postgresql: server ${server_version}`);
      return await measure('postgresql', ctx);
    } finally {
      await ctx.close();
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function onTimescale(bars: Candle[]): Promise<Row[]> {
  const ctx = await bootDatabase('timescaledb');
  try {
    await load('timescaledb', ctx, bars);
    return await measure('timescaledb', ctx);
  } finally {
    await ctx.close();
  }
}

function report(rows: Row[]): void {
  console.log('\n| engine | timeframe | read | bars | wall ms | CPU ms | executor ms |\n| --- | --- | --- | ---: | ---: | ---: | ---: |');
  const cell = (ms: number | undefined): string => ms?.toFixed(1) ?? '';
  for (const row of rows) {
    console.log(
      `| ${row.engine} | ${row.timeframe} | ${row.read} | ${row.bars} | ${cell(row.wallMs)} | ${cell(row.cpuMs)} | ${cell(row.executorMs)} |`,
    );
  }
  console.log('');
  for (const engine of ['postgresql', 'timescaledb'] as const) {
    for (const timeframe of ['1h', '1d'] as const) {
      const of = (read: string): Row => rows.find((r) => r.engine === engine && r.timeframe === timeframe && r.read.startsWith(read))!;
      const reference = engine === 'timescaledb' ? of('continuous aggregate, bare') : of('precomputed');
      const rollUp = of('query-time rollup of 1m');
      console.log(
        `${engine} ${timeframe}: query-time rollup / ${engine === 'timescaledb' ? 'continuous aggregate' : 'precomputed rows'} = ` +
          `${(rollUp.wallMs / reference.wallMs).toFixed(1)}x wall, ${(rollUp.cpuMs! / reference.cpuMs!).toFixed(1)}x CPU, ` +
          `${(rollUp.executorMs! / reference.executorMs!).toFixed(1)}x executor`,
      );
    }
  }
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error', 'warn']);
  const bars = yearOfMinutes();
  console.log(
    `one symbol, ${bars.length} extended-hours 1m bars (2024); median of ${RUNS} after ${WARMUP} warm-up; ` +
      `${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at start`,
  );
  const rows = [...(await onPostgres(bars)), ...(await onTimescale(bars))];
  console.log(`load average ${loadavg()[0].toFixed(1)} at end`);
  report(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
