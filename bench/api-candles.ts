/**
 * GET /api/v1/asset/{symbol}/candles under load, against references measured in the same run.
 *
 *   npm run bench:api [-- --seconds 10] [--rounds 1] [--parts day,year,shared,monitor] [--node-flags "--max-semi-space-size=64"]
 *
 * Three API processes over one embedded PostgreSQL: one with CACHE_ENABLED=false (the
 * reference), two with the cache on sharing one redis-server started for the run.
 * 1. day: one day of 1m bars (960), 10 connections (autocannon) for `seconds`: uncached HTTP
 *    beside CandleRepository.findRange alone and CandleAnswers (the miss path without HTTP),
 *    then cache hits as identity, gzip and br (bytes on the wire) and 304 revalidations.
 * 2. year: one year of 1m bars (241,920) fetched page by page (limit 50,000) as JSON and as
 *    CSV, against one raw SQL fetch of the same rows with pg; uncached, then through the
 *    cache cold and warm.
 * 3. shared: distinct day windows computed on instance A, each then read once on B (from
 *    Redis), one request at a time.
 * 4. monitor (not run by default): the performance monitor's cost. Two more API processes with the
 *    cache off, MONITOR_ENABLED=false (the reference) and true, take turns under the day load
 *    (10 connections, `seconds` per turn, 8 turns each, in the order off,on,on,off,...): throughput,
 *    and the CPU time each API process spent per answer (steadier than throughput on a busy machine).
 * Each API runs in a child process (bench/api-bench-server.ts), so the load generator does
 * not share the server's event loop.
 */
import { ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { EmbeddedPostgresEngine } from '@app/database';
import { type CandleRangeQuery, DAY_MS, messageOf } from '@app/core';
import { TestRedisServer } from '@app/testing';
import type { BenchCommand, BenchReply } from './api-bench-server';

const SYMBOL = 'SPY';
const YEAR = 2023;
/** Wednesday 2023-06-07: the synthetic generator stamps every session 09:00-01:00 UTC, 960 bars. */
const DAY_START = Date.UTC(YEAR, 5, 7, 9);
const DAY_END = DAY_START + 16 * 3_600_000;
const PAGE = 50_000;

type Part = 'day' | 'year' | 'shared' | 'monitor';

interface Options {
  seconds: number;
  rounds: number;
  parts: Part[];
  /** Extra flags for the API's node process, e.g. --max-semi-space-size=64. */
  nodeFlags: string[];
}

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  samples: number;
  /** Mean body bytes per answer (HTTP rows only). */
  bytes?: number;
  /** Answers with another status than asked for (HTTP rows only). */
  unexpected?: number;
}

interface DayFigures {
  repository1: Latency;
  repository10: Latency;
  answer10: Latency;
  uncached10: Latency;
  hit10: Latency;
  gzip10: Latency;
  br10: Latency;
  notModified10: Latency;
}

interface YearWalk {
  jsonMs: number;
  csvMs: number;
}

interface YearFigures {
  rawSqlMs: number;
  uncached: YearWalk;
  cold: YearWalk;
  warm: YearWalk;
  bars: number;
}

/** One turn of the day load on one process: latency, and the CPU that API process spent per answer. */
interface MonitorTurn {
  http: Latency;
  cpuMsPerRequest: number;
}

interface MonitorFigures {
  off: MonitorTurn[];
  on: MonitorTurn[];
}

interface SharedFigures {
  missOnA: Latency;
  redisOnB: Latency;
  localOnB: Latency;
  /** B asked before A's write reached Redis, and computed the page itself. */
  racedOnB: number;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  return {
    seconds: Number(value('seconds', '10')),
    rounds: Number(value('rounds', '1')),
    parts: value('parts', 'day,year,shared').split(',') as Part[],
    // As `npm run start:prod` and the image run the API; `--node-flags ''` for node's defaults.
    nodeFlags: value('node-flags', '--max-semi-space-size=64').split(' ').filter(Boolean),
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

  static start(settings: Record<string, string>, nodeFlags: string[]): Promise<ApiProcess> {
    const child = fork(join(__dirname, 'api-bench-server.ts'), [JSON.stringify(settings)], {
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

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  ask(command: BenchCommand): Promise<BenchReply> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(command);
    });
  }

  /** CPU time (user + system) the process has used so far. */
  async cpuMicros(): Promise<number> {
    const reply = await this.ask({ kind: 'cpu' });
    if (reply.kind !== 'cpu') throw new Error(`expected CPU time, got ${reply.kind}`);
    return reply.micros;
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

async function cannon(url: string, connections: number, seconds: number, headers: Record<string, string> = {}): Promise<Latency> {
  const latencies: number[] = [];
  let expected = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, pipelining: 1, headers }, (error: unknown, done) =>
      error ? reject(error instanceof Error ? error : new Error(messageOf(error))) : resolve(done),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === (headers['if-none-match'] ? 304 : 200)) expected++;
      latencies.push(responseTime);
    });
  });
  const unexpected = latencies.length - expected;
  // A 200 among 304s is right when the cache degraded meanwhile (its keys change with it); more is a fault.
  if (result.errors > 0 || unexpected > latencies.length / 100)
    throw new Error(`${unexpected} unexpected statuses and ${result.errors} errors from ${url}`);
  return { ...summarise(latencies, result.duration), bytes: result.throughput.total / Math.max(1, latencies.length), unexpected };
}

const dayPath = (start = DAY_START, end = DAY_END) => `/api/v1/asset/${SYMBOL}/candles?timeframe=1m&start=${start}&end=${end}`;

/** One request, checked: 960 bars of one page, served as `tier`. */
async function fetchDay(api: ApiProcess, path: string, tier?: string): Promise<{ ms: number; etag: string; tier: string }> {
  const t0 = performance.now();
  const response = await fetch(api.url(path), { headers: { 'accept-encoding': 'identity' } });
  const page = (await response.json()) as { bars: unknown[]; nextCursor: string | null };
  const ms = performance.now() - t0;
  if (page.bars.length !== 960 || page.nextCursor !== null) throw new Error(`expected one page of 960 bars, got ${page.bars.length}`);
  if (tier && response.headers.get('x-cache') !== tier) throw new Error(`expected X-Cache ${tier}, got ${response.headers.get('x-cache')}`);
  return { ms, etag: response.headers.get('etag') ?? '', tier: response.headers.get('x-cache') ?? '' };
}

async function dayFigures(uncached: ApiProcess, cached: ApiProcess, seconds: number): Promise<DayFigures> {
  const url = (api: ApiProcess) => api.url(dayPath());
  await fetchDay(uncached, dayPath(), 'bypass');
  // The service asks its source for one bar more than the page holds; the repository call is the same query.
  const query: CandleRangeQuery = { symbol: SYMBOL, timeframe: '1m', start: DAY_START, end: DAY_END, limit: 10_001, order: 'asc' };
  await cannon(url(uncached), 10, 3); // warm-up: JIT, pool, caches
  await fetchDay(cached, dayPath());
  const { etag } = await fetchDay(cached, dayPath(), 'local');
  await cannon(url(cached), 10, 3);
  return {
    repository1: await uncached.timed({ kind: 'repository', query, seconds: seconds / 2, concurrency: 1 }),
    repository10: await uncached.timed({ kind: 'repository', query, seconds, concurrency: 10 }),
    answer10: await uncached.timed({ kind: 'answer', query, seconds, concurrency: 10 }),
    uncached10: await cannon(url(uncached), 10, seconds),
    hit10: await cannon(url(cached), 10, seconds),
    gzip10: await cannon(url(cached), 10, seconds, { 'accept-encoding': 'gzip' }),
    br10: await cannon(url(cached), 10, seconds, { 'accept-encoding': 'br' }),
    notModified10: await cannon(url(cached), 10, seconds, { 'if-none-match': etag }),
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

/** Walks the year page by page as a client would: JSON parsed (and checked to move forward), or CSV split into rows. */
async function pagedYear(api: ApiProcess, start: number, end: number, format: 'json' | 'csv'): Promise<{ ms: number; bars: number }> {
  const base = api.url(`/api/v1/asset/${SYMBOL}/candles?timeframe=1m&start=${start}&end=${end}&limit=${PAGE}&format=${format}`);
  const t0 = performance.now();
  let bars = 0;
  let last = -Infinity;
  let url: string | undefined = base;
  while (url) {
    const response: Response = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    const cursor = response.headers.get('x-next-cursor');
    url = cursor ? `${base}&cursor=${cursor}` : undefined;
    if (format === 'json') {
      const page = (await response.json()) as { bars: { time: string }[] };
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
  }
  return { ms: performance.now() - t0, bars };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function yearWalk(api: ApiProcess, first: number, end: number, expected: number): Promise<YearWalk> {
  const json = await pagedYear(api, first, end, 'json');
  const csv = await pagedYear(api, first, end, 'csv');
  if (json.bars !== expected || csv.bars !== expected)
    throw new Error(`bar counts differ: sql ${expected}, json ${json.bars}, csv ${csv.bars}`);
  return { jsonMs: json.ms, csvMs: csv.ms };
}

async function yearFigures(
  uncached: ApiProcess,
  cached: ApiProcess,
  databaseUrl: string,
  first: number,
  last: number,
): Promise<YearFigures> {
  const raw: number[] = [];
  const walks: Record<'uncached' | 'cold' | 'warm', YearWalk[]> = { uncached: [], cold: [], warm: [] };
  let bars = 0;
  let end = last + 60_000;
  await pagedYear(uncached, first, end, 'json'); // warm-up
  for (let run = 0; run < 3; run++) {
    const sql = await rawSqlYear(databaseUrl, first, end);
    bars = sql.bars;
    raw.push(sql.ms);
    walks.uncached.push(await yearWalk(uncached, first, end, bars));
    walks.cold.push(await yearWalk(cached, first, end, bars));
    walks.warm.push(await yearWalk(cached, first, end, bars));
    end += 1; // a new window (same rows) each run, so the cached walk starts cold again
  }
  const walk = (of: YearWalk[]): YearWalk => ({ jsonMs: median(of.map((w) => w.jsonMs)), csvMs: median(of.map((w) => w.csvMs)) });
  return { rawSqlMs: median(raw), uncached: walk(walks.uncached), cold: walk(walks.cold), warm: walk(walks.warm), bars };
}

/** Distinct windows (one per weekday of June), each computed on A, then read on B from Redis, then from B's memory. */
async function sharedFigures(a: ApiProcess, b: ApiProcess): Promise<SharedFigures> {
  const missOnA: number[] = [];
  const redisOnB: number[] = [];
  const localOnB: number[] = [];
  let racedOnB = 0;
  const started = performance.now();
  for (let round = 0; round < 20; round++) {
    for (let day = -2; day <= 20; day++) {
      const start = DAY_START + day * DAY_MS;
      if ([0, 6].includes(new Date(start).getUTCDay())) continue;
      const path = dayPath(start, start + 16 * 3_600_000) + `&limit=${1000 + round}`; // a new key each round
      missOnA.push((await fetchDay(a, path, 'miss')).ms);
      // A stores in Redis without holding its answer back, so B can now and then ask before the write lands.
      const onB = await fetchDay(b, path);
      if (onB.tier === 'redis') redisOnB.push(onB.ms);
      else if (onB.tier === 'miss') racedOnB++;
      else throw new Error(`expected X-Cache redis or miss on B, got ${onB.tier}`);
      localOnB.push((await fetchDay(b, path, 'local')).ms);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    missOnA: summarise(missOnA, seconds),
    redisOnB: summarise(redisOnB, seconds),
    localOnB: summarise(localOnB, seconds),
    racedOnB,
  };
}

/** Turns each of the two monitor processes takes; an even number, so each goes first equally often. */
const MONITOR_TURNS = 8;

/**
 * The day load on MONITOR_ENABLED=false and =true in turns: off,on,on,off,... so drift on a shared
 * machine hits both alike. Throughput moves with whatever else runs; CPU per answer much less.
 */
async function monitorFigures(off: ApiProcess, on: ApiProcess, seconds: number): Promise<MonitorFigures> {
  for (const api of [off, on]) {
    await fetchDay(api, dayPath(), 'bypass');
    await cannon(api.url(dayPath()), 10, 3); // warm-up: JIT, pool, caches
  }
  const figures: MonitorFigures = { off: [], on: [] };
  for (let turn = 0; turn < MONITOR_TURNS; turn++) {
    const order = turn % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const side of order) figures[side].push(await monitorTurn(side === 'off' ? off : on, seconds));
  }
  return figures;
}

async function monitorTurn(api: ApiProcess, seconds: number): Promise<MonitorTurn> {
  const before = await api.cpuMicros();
  const http = await cannon(api.url(dayPath()), 10, seconds);
  return { http, cpuMsPerRequest: ((await api.cpuMicros()) - before) / 1000 / http.samples };
}

const ms = (value: number): string => value.toFixed(2);
const ratio = (value: number): string => `${value.toFixed(2)}x`;

function printDay(day: DayFigures): void {
  const row = (label: string, l: Latency) =>
    `| ${label}${l.unexpected ? ` (${l.unexpected} of ${l.samples} another status)` : ''} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ` +
    `${Math.round(l.perSecond)} | ${l.bytes === undefined ? '' : Math.round(l.bytes)} |`;
  console.log(row('repository findRange, 1 at a time', day.repository1));
  console.log(row('repository findRange, 10 concurrent', day.repository10));
  console.log(row('CandleAnswers, cache off (miss path without HTTP), 10 concurrent', day.answer10));
  console.log(row('HTTP, cache off (reference), 10 connections', day.uncached10));
  console.log(row('**HTTP, cache hit, 10 connections**', day.hit10));
  console.log(row('HTTP, cache hit, Accept-Encoding: gzip', day.gzip10));
  console.log(row('HTTP, cache hit, Accept-Encoding: br', day.br10));
  console.log(row('HTTP, If-None-Match: 304', day.notModified10));
  console.log(
    `| miss path / repository (10 concurrent) | ${ratio(day.answer10.p50 / day.repository10.p50)} | ${ratio(day.answer10.p95 / day.repository10.p95)} | ` +
      `${ratio(day.answer10.p99 / day.repository10.p99)} | ${ratio(day.repository10.perSecond / day.answer10.perSecond)} slower | |`,
  );
  console.log(
    `| cache hit / cache off (HTTP, 10 connections) | ${ratio(day.uncached10.p50 / day.hit10.p50)} faster | ${ratio(day.uncached10.p95 / day.hit10.p95)} faster | ` +
      `${ratio(day.uncached10.p99 / day.hit10.p99)} faster | ${ratio(day.hit10.perSecond / day.uncached10.perSecond)} more | |`,
  );
}

function printYear(year: YearFigures): void {
  const row = (label: string, value: number) => console.log(`| ${label} | ${Math.round(value)} | ${(value / year.rawSqlMs).toFixed(2)} |`);
  row('raw SQL (pg, one query)', year.rawSqlMs);
  row(`JSON, pages of ${PAGE}, cache off`, year.uncached.jsonMs);
  row(`CSV, pages of ${PAGE}, cache off`, year.uncached.csvMs);
  row('JSON, cache on, first walk (miss and store)', year.cold.jsonMs);
  row('CSV, cache on, first walk (miss and store)', year.cold.csvMs);
  row('JSON, cache on, second walk (hits)', year.warm.jsonMs);
  row('CSV, cache on, second walk (hits)', year.warm.csvMs);
}

function printShared(shared: SharedFigures): void {
  const row = (label: string, l: Latency) => console.log(`| ${label} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${l.samples} |`);
  row('A: miss (database, then stored in both tiers)', shared.missOnA);
  row('**B: the same page from Redis**', shared.redisOnB);
  row('B: again, from its own memory', shared.localOnB);
  console.log(`| B: asked before A's write reached Redis (computed itself) | | | | ${shared.racedOnB} |`);
}

function printMonitor(monitor: MonitorFigures): void {
  // Every turn's requests over every turn's seconds (and CPU); latency as the median turn's.
  const pooled = (turns: MonitorTurn[]) => {
    const requests = turns.reduce((sum, t) => sum + t.http.samples, 0);
    return {
      perSecond: requests / turns.reduce((sum, t) => sum + t.http.samples / t.http.perSecond, 0),
      cpuMs: turns.reduce((sum, t) => sum + t.cpuMsPerRequest * t.http.samples, 0) / requests,
      p50: median(turns.map((t) => t.http.p50)),
      p95: median(turns.map((t) => t.http.p95)),
      p99: median(turns.map((t) => t.http.p99)),
    };
  };
  const off = pooled(monitor.off);
  const on = pooled(monitor.on);
  const row = (label: string, l: ReturnType<typeof pooled>) =>
    console.log(`| ${label} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${Math.round(l.perSecond)} | ${l.cpuMs.toFixed(3)} |`);
  row('HTTP, cache off, MONITOR_ENABLED=false (reference), 10 connections', off);
  row('**HTTP, cache off, MONITOR_ENABLED=true, 10 connections**', on);
  const percent = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
  // Each turn against the other process's turn next to it, to show the spread.
  const spread = (change: (on: MonitorTurn, off: MonitorTurn) => number) => {
    const changes = monitor.on.map((t, i) => change(t, monitor.off[i])).sort((a, b) => a - b);
    return `turns: median ${percent(median(changes))}, ${percent(changes[0])} to ${percent(changes[changes.length - 1])}`;
  };
  console.log(
    `| MONITOR_ENABLED=true against false | | | | **${percent(on.perSecond / off.perSecond - 1)}** ` +
      `(${spread((a, b) => a.http.perSecond / b.http.perSecond - 1)}) | **${percent(on.cpuMs / off.cpuMs - 1)}** ` +
      `(${spread((a, b) => a.cpuMsPerRequest / b.cpuMsPerRequest - 1)}) |`,
  );
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Shared machines drift: say how busy this one was, so the absolute figures can be judged.
  console.log(`${cpus().length} CPUs, load average ${load()} at start`);
  const dataDir = mkdtempSync(join(tmpdir(), 'market-data-api-bench-'));
  const engine = new EmbeddedPostgresEngine({ dataDir, unsafeFastWrites: true });
  const redis = await TestRedisServer.start();
  const apis: ApiProcess[] = [];
  try {
    const databaseUrl = await EmbeddedPostgresEngine.ensureDatabase(await engine.start(), 'bench_api');
    const uncached = await ApiProcess.start({ DATABASE_URL: databaseUrl, CACHE_ENABLED: 'false' }, options.nodeFlags);
    apis.push(uncached);
    const reply = await uncached.ask({ kind: 'seed', symbol: SYMBOL, year: YEAR });
    if (reply.kind !== 'seeded') throw new Error('seeding failed');
    console.log(`seeded ${reply.bars} 1m bars of ${SYMBOL} in ${Math.round(reply.ms)} ms`);
    // Started after the seed: versions in Redis are made on first read, so no write precedes them.
    const a = await ApiProcess.start({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url }, options.nodeFlags);
    const b = await ApiProcess.start({ DATABASE_URL: databaseUrl, REDIS_URL: redis.url }, options.nodeFlags);
    apis.push(a, b);
    // Started only when asked: two more processes on the machine would weigh on the other parts.
    const monitorPair = options.parts.includes('monitor')
      ? await Promise.all(
          ['false', 'true'].map((enabled) =>
            ApiProcess.start({ DATABASE_URL: databaseUrl, CACHE_ENABLED: 'false', MONITOR_ENABLED: enabled }, options.nodeFlags),
          ),
        )
      : undefined;
    if (monitorPair) apis.push(...monitorPair);
    const days: DayFigures[] = [];
    const years: YearFigures[] = [];
    const shares: SharedFigures[] = [];
    const monitors: MonitorFigures[] = [];
    for (let round = 0; round < options.rounds; round++) {
      console.log(`measuring (round ${round + 1})...`);
      if (options.parts.includes('day')) days.push(await dayFigures(uncached, a, options.seconds));
      if (options.parts.includes('year')) years.push(await yearFigures(uncached, a, databaseUrl, reply.first, reply.last));
      if (options.parts.includes('shared')) shares.push(await sharedFigures(a, b));
      if (monitorPair) monitors.push(await monitorFigures(monitorPair[0], monitorPair[1], options.seconds));
    }
    if (days.length) {
      console.log(`\nOne day of 1m bars (960, one page), ${options.seconds} s per row; latency in ms`);
      console.log('| what | p50 | p95 | p99 | req/s | bytes |');
      console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const day of days) printDay(day);
    }
    if (years.length) {
      console.log(`\nOne year of 1m bars (${reply.bars}) walked page by page, median of 3 runs`);
      console.log('| what | total ms | ratio to raw SQL |');
      console.log('| --- | ---: | ---: |');
      for (const year of years) printYear(year);
    }
    if (shares.length) {
      console.log('\nTwo instances sharing Redis: one day of 1m per request, one request at a time; latency in ms');
      console.log('| what | p50 | p95 | p99 | requests |');
      console.log('| --- | ---: | ---: | ---: | ---: |');
      for (const shared of shares) printShared(shared);
    }
    if (monitors.length) {
      console.log(
        `\nThe monitor's cost: one day of 1m bars, cache off, ${MONITOR_TURNS} turns of ${options.seconds} s each; latency in ms`,
      );
      console.log('| what | p50 | p95 | p99 | req/s | API CPU ms per request |');
      console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const monitor of monitors) printMonitor(monitor);
    }
    console.log(`\nload average ${load()} at end`);
  } finally {
    for (const api of apis) await api.stop();
    await engine.stop();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
