/**
 * One year of one-minute bars for one symbol, from the fake Polygon (its own process, like a
 * remote provider) through PolygonClient and IngestionService into a fresh embedded
 * PostgreSQL; compared with a raw text COPY of the same rows in the same run. Then the same
 * ingest with 20% of requests faulted (429, 500, timeouts, garbage): the table must equal the
 * fault-free one row for row, and the API key must appear nowhere in what the process printed.
 *
 *   npm run bench:ingest                      (= npm run bench -- bench/ingest-throughput.ts)
 *   npm run bench -- bench/ingest-throughput.ts [--page-cap 50000] [--faulted-page-cap 10000] [--rounds 5]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import type { Registry } from 'prom-client';
import { from as copyFrom } from 'pg-copy-streams';
import { AppConfigModule } from '@app/config';
import { DatabaseModule, DatabaseService, EmbeddedPostgresEngine } from '@app/database';
import { IngestionModule, IngestionResult, IngestionService } from '@app/ingestion';
import { Candle } from '@app/core';
import { CandleRepository } from '@app/market-data';
import { METRICS_REGISTRY } from '@app/metrics';
import { PolygonModule } from '@app/polygon';
import { CapturingLogger, polygonCounts } from '@app/polygon/testing';
import { ENTITIES, MIGRATIONS } from '../migrations';

const KEY = 'pk_bench_Secret_9f8e7d6c5b4a3210';
const SYMBOL = 'BENCH';
const YEAR = { from: Date.UTC(2023, 0, 1), to: Date.UTC(2024, 0, 1) };
const FAULT_SHARE = 0.2;

/** Everything this process prints, kept to search for the key at the end. */
const printed: string[] = [];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return write(chunk, ...rest);
  };
}

interface Args {
  /** Largest page of the fake provider; 50000 is Polygon's. */
  pageCap: number;
  /** Smaller pages in the faulted run: more requests, so 20% of them is a sample worth the name. */
  faultedPageCap: number;
  rounds: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { pageCap: 50_000, faultedPageCap: 10_000, rounds: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--page-cap') args.pageCap = Number(argv[i + 1]);
    else if (argv[i] === '--faulted-page-cap') args.faultedPageCap = Number(argv[i + 1]);
    else if (argv[i] === '--rounds') args.rounds = Number(argv[i + 1]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return args;
}

/** The fake provider in a child process; resolves with its URL. */
async function startFakeProvider(extraArgs: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'scripts/fake-polygon.ts',
      '--port',
      '0',
      '--key',
      KEY,
      ...extraArgs,
    ],
    { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const match = /listening on (http:\/\/\S+)/.exec(line);
    if (match) {
      lines.close();
      child.stdout.resume(); // its further output (a curl hint naming the key) is not ours to print
      return { url: match[1], child };
    }
  }
  throw new Error('fake provider did not start');
}

async function bootContext(databaseUrl: string, providerUrl: string, logger: CapturingLogger): Promise<INestApplicationContext> {
  @Module({
    imports: [
      AppConfigModule.forRoot({
        DATABASE_URL: databaseUrl,
        POLYGON_API_KEY: KEY,
        POLYGON_BASE_URL: providerUrl,
        POLYGON_RATE_LIMIT_PER_MINUTE: '100000',
        POLYGON_TIMEOUT_MS: '2000',
        POLYGON_MAX_RETRIES: '8',
      }),
      DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
      PolygonModule,
      IngestionModule,
    ],
  })
  class BenchModule {}
  const context = await NestFactory.createApplicationContext(BenchModule, { logger });
  await context.get(DatabaseService).whenReady();
  return context;
}

async function copyRows(client: Client, table: string, rows: Candle[]): Promise<number> {
  const nullable = (v: number | null): string => (v === null ? '\\N' : String(v));
  const chunks: string[] = [];
  let chunk = '';
  for (const c of rows) {
    chunk += `${new Date(c.time).toISOString()}\t${c.symbol}\t${c.timeframe}\t${c.open}\t${c.high}\t${c.low}\t${c.close}\t${c.volume}\t${nullable(c.vwap)}\t${nullable(c.trades)}\n`;
    if (chunk.length > 1 << 16) {
      chunks.push(chunk);
      chunk = '';
    }
  }
  if (chunk) chunks.push(chunk);
  const started = performance.now();
  await pipeline(
    Readable.from(chunks),
    client.query(copyFrom(`COPY ${table} (time, symbol, timeframe, open, high, low, close, volume, vwap, trades) FROM STDIN`)),
  );
  return performance.now() - started;
}

async function count(client: Client, sql: string): Promise<number> {
  const result = await client.query<{ n: string }>(sql);
  return Number(result.rows[0].n);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'market-data-bench-ingest-'));
  const engine = new EmbeddedPostgresEngine({ dataDir });
  const databaseUrl = await EmbeddedPostgresEngine.ensureDatabase(await engine.start(), 'bench');
  const sql = new Client({ connectionString: databaseUrl });
  const logger = new CapturingLogger();
  const children: ChildProcess[] = [];
  try {
    const clean = await startFakeProvider(['--max-limit', String(args.pageCap)]);
    children.push(clean.child);
    let context = await bootContext(databaseUrl, clean.url, logger);
    await sql.connect();
    await sql.query('CREATE TABLE copy_target (LIKE market_data INCLUDING ALL)');

    // 1. Fault-free ingest vs raw COPY of the same rows (and vs the repository upsert alone,
    //    to show what the HTTP side adds), best of N rounds, each measured back to back.
    const ingestMs: number[] = [];
    const copyMs: number[] = [];
    const upsertMs: number[] = [];
    let result!: IngestionResult;
    let sameRows = 0;
    const repository = context.get(CandleRepository);
    for (let round = 0; round < args.rounds; round++) {
      await sql.query('TRUNCATE market_data, copy_target');
      await sql.query('CHECKPOINT');
      result = await context.get(IngestionService).ingest(SYMBOL, '1m', YEAR.from, YEAR.to);
      ingestMs.push(result.durationMs);
      const rows = await repository.findRange({ symbol: SYMBOL, timeframe: '1m', start: 0, end: YEAR.to, limit: 1_000_000 });
      await sql.query('CHECKPOINT');
      copyMs.push(await copyRows(sql, 'copy_target', rows));
      sameRows += await count(
        sql,
        'SELECT count(*) AS n FROM ((TABLE copy_target EXCEPT TABLE market_data) UNION ALL (TABLE market_data EXCEPT TABLE copy_target)) d',
      );
      await sql.query('TRUNCATE market_data');
      await sql.query('CHECKPOINT');
      const pageSize = Math.ceil(rows.length / result.pages);
      const started = performance.now();
      for (let i = 0; i < rows.length; i += pageSize) await repository.upsertMany(rows.slice(i, i + pageSize));
      upsertMs.push(performance.now() - started);
    }
    await sql.query('CREATE TABLE clean_run AS TABLE copy_target');
    const bestIngest = Math.min(...ingestMs);
    const bestCopy = Math.min(...copyMs);
    const bestUpsert = Math.min(...upsertMs);
    const bars = result.bars;
    const rate = (ms: number): number => Math.round(bars / (ms / 1000));
    const rounds = (values: number[]): string => values.map((m) => m.toFixed(0)).join(', ');

    // 2. The same ingest with 20% of requests faulted, against the fault-free table.
    await context.close();
    const faulted = await startFakeProvider(['--max-limit', String(args.faultedPageCap), '--faults', String(FAULT_SHARE), '--seed', '42']);
    children.push(faulted.child);
    context = await bootContext(databaseUrl, faulted.url, logger);
    await sql.query('TRUNCATE market_data');
    const faultedResult = await context.get(IngestionService).ingest(SYMBOL, '1m', YEAR.from, YEAR.to);
    const registry = context.get<Registry>(METRICS_REGISTRY);
    const stats = await polygonCounts(registry);
    const metricsText = await registry.metrics();
    const metricsJson = JSON.stringify(await registry.getMetricsAsJSON());
    const differingRows = await count(
      sql,
      'SELECT count(*) AS n FROM ((TABLE clean_run EXCEPT ALL TABLE market_data) UNION ALL (TABLE market_data EXCEPT ALL TABLE clean_run)) d',
    );
    const duplicates = await count(sql, 'SELECT count(*) - count(DISTINCT (symbol, timeframe, time)) AS n FROM market_data');
    await context.close();

    const outcomes = [...metricsText.matchAll(/^polygon_requests_total\{outcome="(\w+)"\} (\d+)$/gm)]
      .map((m) => `${m[1]} ${m[2]}`)
      .join(', ');
    console.log(
      `\n== ingest: one year of 1m bars for ${SYMBOL} (2023, extended hours), pages capped at ${args.pageCap} bars, best of ${args.rounds} ==`,
    );
    console.log(`bars: ${bars} in ${result.requests} requests / ${result.pages} pages`);
    console.log(
      `ingest (HTTP + parse + validate + upsert): ${bestIngest.toFixed(0)} ms  ${rate(bestIngest)} bars/s   (rounds: ${rounds(ingestMs)} ms)`,
    );
    console.log(
      `raw text COPY of the same rows:           ${bestCopy.toFixed(0)} ms  ${rate(bestCopy)} rows/s   (rounds: ${rounds(copyMs)} ms)`,
    );
    console.log(
      `repository upsert alone, same pages:      ${bestUpsert.toFixed(0)} ms  ${rate(bestUpsert)} rows/s   (rounds: ${rounds(upsertMs)} ms)`,
    );
    console.log(`COPY and ingest tables equal in every round: ${sameRows === 0 ? 'yes' : `NO (${sameRows} rows differ)`}`);
    const paired = ingestMs.map((ms, i) => copyMs[i] / ms).sort((a, b) => a - b);
    console.log(
      `ratio ingest/COPY throughput: ${(bestCopy / bestIngest).toFixed(2)}x best vs best, ${paired[Math.floor(paired.length / 2)].toFixed(2)}x median of rounds (target >= 0.5x); ` +
        `upsert alone/COPY ${(bestCopy / bestUpsert).toFixed(2)}x; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`,
    );
    console.log(
      `\n== the same ingest with ${FAULT_SHARE * 100}% of requests faulted (429, 500, timeouts, garbage), pages capped at ${args.faultedPageCap} bars ==`,
    );
    console.log(
      `requests: ${stats.requests} for ${faultedResult.pages} pages, ${stats.retries} retried (${outcomes}); ${faultedResult.bars} bars in ${faultedResult.durationMs} ms`,
    );
    console.log(`rows differing from the fault-free run: ${differingRows}; duplicate keys: ${duplicates}`);
    // Everything a leak could hide in: what was printed, logged, counted, thrown.
    const everything = [...printed, logger.text, metricsText, metricsJson, JSON.stringify(faultedResult)].join('\n');
    const keyFound = everything.includes(KEY) || everything.includes(Buffer.from(KEY).toString('base64'));
    console.log(
      `API key in any output, log line or metric: ${keyFound ? 'FOUND (leak!)' : 'absent'} (searched ${everything.length} characters, ${logger.lines.length} log lines)`,
    );
    if (sameRows !== 0 || differingRows !== 0 || duplicates !== 0 || keyFound) process.exitCode = 1;
  } finally {
    await sql.end().catch(() => undefined);
    for (const child of children) child.kill('SIGTERM');
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
