/**
 * GET /api/v1/asset/{symbol}/candles under load, against references measured in the same run.
 *
 *   npm run bench:api [-- --adapters express,fastify] [--seconds 10] [--rounds 1] [--parts day,year] [--node-flags "..."]
 *
 * 1. One day of 1m bars (960), warm: autocannon with 10 connections for `seconds`
 *    (p50/p95/p99, req/s) beside CandleRepository.findRange alone and CandlesService +
 *    JSON.stringify (all but HTTP), each at the same concurrency, in the API's process.
 * 2. One year of 1m bars (241,920) fetched page by page (limit 50,000) as JSON and as
 *    CSV, against one raw SQL fetch of the same rows with pg.
 * Each adapter runs the API in a child process (bench/api-bench-server.ts), so the load
 * generator does not share the server's event loop.
 */
import { ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { EmbeddedPostgresEngine } from '@app/database';
import { type CandleRangeQuery, messageOf } from '@app/core';
import type { Adapter, BenchCommand, BenchReply } from './api-bench-server';

const SYMBOL = 'SPY';
const YEAR = 2023;
/** Wednesday 2023-06-07: the synthetic generator stamps every session 09:00-01:00 UTC, 960 bars. */
const DAY_START = Date.UTC(YEAR, 5, 7, 9);
const DAY_END = DAY_START + 16 * 3_600_000;
const PAGE = 50_000;

interface Options {
  adapters: Adapter[];
  seconds: number;
  rounds: number;
  parts: ('day' | 'year')[];
  /** Extra flags for the API's node process, e.g. --max-semi-space-size=64. */
  nodeFlags: string[];
}

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  samples: number;
}

interface DayFigures {
  repository1: Latency;
  repository10: Latency;
  service10: Latency;
  http1: Latency;
  http10: Latency;
}

interface YearFigures {
  rawSqlMs: number;
  jsonMs: number;
  prefetchMs: number;
  csvMs: number;
  bars: number;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
  };
  return {
    adapters: value('adapters', 'express,fastify').split(',') as Adapter[],
    seconds: Number(value('seconds', '10')),
    rounds: Number(value('rounds', '1')),
    parts: value('parts', 'day,year').split(',') as Options['parts'],
    nodeFlags: value('node-flags', '').split(' ').filter(Boolean),
  };
}

class ApiProcess {
  private pending?: { resolve: (reply: BenchReply) => void; reject: (error: Error) => void };

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (reply: BenchReply) => {
      const waiter = this.pending;
      this.pending = undefined;
      if (reply.kind === 'error') waiter?.reject(new Error(reply.message));
      else waiter?.resolve(reply);
    });
  }

  static start(adapter: Adapter, databaseUrl: string, nodeFlags: string[]): Promise<ApiProcess> {
    const child = fork(join(__dirname, 'api-bench-server.ts'), [adapter, databaseUrl], {
      execArgv: [...nodeFlags, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', (reply: BenchReply) => {
        if (reply.kind === 'listening') resolve(new ApiProcess(child, reply.port));
        else reject(new Error(reply.kind === 'error' ? reply.message : `unexpected ${reply.kind}`));
      });
      child.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
    });
  }

  ask(command: BenchCommand): Promise<BenchReply> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(command);
    });
  }

  async timed(command: BenchCommand): Promise<Latency> {
    const reply = await this.ask(command);
    if (reply.kind !== 'timed') throw new Error(`expected timings, got ${reply.kind}`);
    return summarise(reply.latenciesMs, reply.seconds);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarise(latenciesMs: number[], seconds: number): Latency {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    perSecond: latenciesMs.length / seconds,
    samples: latenciesMs.length,
  };
}

async function cannon(url: string, connections: number, seconds: number): Promise<Latency> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, pipelining: 1 }, (error: unknown, done) =>
      error ? reject(error instanceof Error ? error : new Error(messageOf(error))) : resolve(done),
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => latencies.push(responseTime));
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors from ${url}`);
  return summarise(latencies, result.duration);
}

async function dayFigures(api: ApiProcess, seconds: number): Promise<DayFigures> {
  const base = `http://127.0.0.1:${api.port}/api/v1/asset/${SYMBOL}/candles?timeframe=1m&start=${DAY_START}&end=${DAY_END}`;
  const check = (await (await fetch(base)).json()) as { bars: unknown[]; nextCursor: string | null };
  if (check.bars.length !== 960 || check.nextCursor !== null) throw new Error(`expected one page of 960 bars, got ${check.bars.length}`);
  // The service asks its source for one bar more than the page holds; the repository call is the same query.
  const query: CandleRangeQuery = { symbol: SYMBOL, timeframe: '1m', start: DAY_START, end: DAY_END, limit: 10_001, order: 'asc' };
  await cannon(base, 10, 3); // warm-up: JIT, pool, caches
  return {
    repository1: await api.timed({ kind: 'repository', query, seconds: seconds / 2, concurrency: 1 }),
    repository10: await api.timed({ kind: 'repository', query, seconds, concurrency: 10 }),
    service10: await api.timed({ kind: 'service', query, seconds, concurrency: 10 }),
    http1: await cannon(base, 1, seconds / 2),
    http10: await cannon(base, 10, seconds),
  };
}

async function rawSqlYear(databaseUrl: string, start: number, end: number): Promise<{ ms: number; bars: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const t0 = performance.now();
    const result = await client.query(
      `SELECT time, open, high, low, close, volume, vwap, trades FROM market_data
       WHERE symbol = $1 AND timeframe = '1m' AND time >= to_timestamp($2 / 1000.0) AND time < to_timestamp($3 / 1000.0)
       ORDER BY time`,
      [SYMBOL, start, end],
    );
    return { ms: performance.now() - t0, bars: result.rows.length };
  } finally {
    await client.end();
  }
}

type YearClient = 'json' | 'json-prefetch' | 'csv';

/**
 * Walks the year page by page as a client would: JSON parsed (and each time checked to
 * move forward), or CSV split into rows. `json-prefetch` asks for the next page as soon
 * as the X-Next-Cursor header of the current one arrives, so the server builds page
 * N+1 while the client parses page N.
 */
async function pagedYear(port: number, start: number, end: number, client: YearClient): Promise<{ ms: number; bars: number }> {
  const format = client === 'csv' ? 'csv' : 'json';
  const base = `http://127.0.0.1:${port}/api/v1/asset/${SYMBOL}/candles?timeframe=1m&start=${start}&end=${end}&limit=${PAGE}&format=${format}`;
  const t0 = performance.now();
  let bars = 0;
  let last = -Infinity;
  let pending: Promise<Response> | undefined = fetch(base);
  while (pending) {
    const response: Response = await pending;
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    const cursor = response.headers.get('x-next-cursor');
    const next = cursor ? () => fetch(`${base}&cursor=${cursor}`) : undefined;
    pending = client === 'json-prefetch' ? next?.() : undefined;
    if (format === 'json') {
      const page = (await response.json()) as { bars: { time: string }[]; nextCursor: string | null };
      for (const bar of page.bars) {
        const time = Date.parse(bar.time);
        if (time <= last) throw new Error('bars out of order or repeated');
        last = time;
      }
      bars += page.bars.length;
    } else {
      const rows = (await response.text()).split('\r\n');
      bars += rows.length - 2; // header and the empty string after the last CRLF
    }
    if (client !== 'json-prefetch') pending = next?.();
  }
  return { ms: performance.now() - t0, bars };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function yearFigures(api: ApiProcess, databaseUrl: string, first: number, last: number): Promise<YearFigures> {
  const end = last + 60_000;
  const raw: number[] = [];
  const json: number[] = [];
  const prefetch: number[] = [];
  const csv: number[] = [];
  let bars = 0;
  await pagedYear(api.port, first, end, 'json'); // warm-up
  for (let run = 0; run < 3; run++) {
    const sql = await rawSqlYear(databaseUrl, first, end);
    const paged = await pagedYear(api.port, first, end, 'json');
    const early = await pagedYear(api.port, first, end, 'json-prefetch');
    const text = await pagedYear(api.port, first, end, 'csv');
    if ([paged, early, text].some((walk) => walk.bars !== sql.bars)) {
      throw new Error(`bar counts differ: sql ${sql.bars}, json ${paged.bars}, prefetch ${early.bars}, csv ${text.bars}`);
    }
    raw.push(sql.ms);
    json.push(paged.ms);
    prefetch.push(early.ms);
    csv.push(text.ms);
    bars = sql.bars;
  }
  return { rawSqlMs: median(raw), jsonMs: median(json), prefetchMs: median(prefetch), csvMs: median(csv), bars };
}

const ms = (value: number): string => value.toFixed(2);

function printDay(adapter: Adapter, day: DayFigures): void {
  const row = (label: string, l: Latency) =>
    `| ${adapter} | ${label} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${Math.round(l.perSecond)} |`;
  console.log(row('repository findRange, 1 at a time', day.repository1));
  console.log(row('repository findRange, 10 concurrent', day.repository10));
  console.log(row('service + JSON.stringify, 10 concurrent', day.service10));
  console.log(row('HTTP, 1 connection', day.http1));
  console.log(row('HTTP, 10 connections (autocannon)', day.http10));
  console.log(
    `| ${adapter} | overhead HTTP/repository (10 concurrent) | ${(day.http10.p50 / day.repository10.p50).toFixed(2)}x | ` +
      `${(day.http10.p95 / day.repository10.p95).toFixed(2)}x | ${(day.http10.p99 / day.repository10.p99).toFixed(2)}x | ` +
      `${(day.http10.perSecond / day.repository10.perSecond).toFixed(2)}x |`,
  );
}

function printYear(adapter: Adapter, year: YearFigures): void {
  console.log(`| ${adapter} | raw SQL (pg, one query) | ${Math.round(year.rawSqlMs)} | 1.00 |`);
  console.log(`| ${adapter} | HTTP JSON, pages of ${PAGE} | ${Math.round(year.jsonMs)} | ${(year.jsonMs / year.rawSqlMs).toFixed(2)} |`);
  console.log(
    `| ${adapter} | HTTP JSON, pages of ${PAGE}, next page asked on headers | ${Math.round(year.prefetchMs)} | ${(year.prefetchMs / year.rawSqlMs).toFixed(2)} |`,
  );
  console.log(
    `| ${adapter} | HTTP CSV, pages of ${PAGE} (rows split, not parsed) | ${Math.round(year.csvMs)} | ${(year.csvMs / year.rawSqlMs).toFixed(2)} |`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Shared machines drift: say how busy this one was, so the absolute figures can be judged.
  console.log(
    `${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'market-data-api-bench-'));
  const engine = new EmbeddedPostgresEngine({ dataDir, unsafeFastWrites: true });
  let databaseUrl = '';
  try {
    databaseUrl = await EmbeddedPostgresEngine.ensureDatabase(await engine.start(), 'bench_api');
    let seeded: { first: number; last: number; bars: number } | undefined;
    const days: [Adapter, DayFigures][] = [];
    const years: [Adapter, YearFigures][] = [];
    for (let round = 0; round < options.rounds; round++) {
      for (const adapter of options.adapters) {
        const api = await ApiProcess.start(adapter, databaseUrl, options.nodeFlags);
        try {
          if (!seeded) {
            const reply = await api.ask({ kind: 'seed', symbol: SYMBOL, year: YEAR });
            if (reply.kind !== 'seeded') throw new Error('seeding failed');
            seeded = reply;
            console.log(`seeded ${reply.bars} 1m bars of ${SYMBOL} in ${Math.round(reply.ms)} ms`);
          }
          console.log(`measuring ${adapter} (round ${round + 1})...`);
          if (options.parts.includes('day')) days.push([adapter, await dayFigures(api, options.seconds)]);
          if (options.parts.includes('year')) years.push([adapter, await yearFigures(api, databaseUrl, seeded.first, seeded.last)]);
        } finally {
          await api.stop();
        }
      }
    }
    console.log(`\nOne day of 1m bars (960, one page), ${options.seconds} s per row; latency in ms`);
    console.log('| adapter | what | p50 | p95 | p99 | req/s |');
    console.log('| --- | --- | ---: | ---: | ---: | ---: |');
    for (const [adapter, day] of days) printDay(adapter, day);
    console.log(`\nOne year of 1m bars (${seeded?.bars ?? 0}), median of 3 runs`);
    console.log('| adapter | what | total ms | ratio to raw SQL |');
    console.log('| --- | --- | ---: | ---: |');
    for (const [adapter, year] of years) printYear(adapter, year);
    console.log(
      `\nload average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at end`,
    );
  } finally {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
