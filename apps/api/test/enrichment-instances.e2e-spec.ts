import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { type Candle } from '@app/core';
import { EnrichmentScheduler } from '@app/enrichment';
import { CandleRepository, TrackedSymbolRepository } from '@app/market-data';
import { syntheticMinutes } from '@app/market-data/testing';
import { TestApp, TestDatabase, openTestDatabase } from '@app/testing';
import { batchOutputs } from './support/batch-indicators';
import { createTestApp } from './support/test-app';

const ROOT = resolve(__dirname, '../../..');
const MAIN = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/api/src/main.ts'];
const DEFAULTS = ['sma:20', 'ema:20', 'rsi:14', 'macd:12:26:9', 'bbands:20:2'];
const ENRICHING = { ENRICHMENT_ENABLED: 'true', ENRICHMENT_INTERVAL: '1h' };

interface StoredBlock {
  bars: number;
  times: Buffer;
  outputs: Buffer;
}

/** indicator_blocks' bytes: little-endian float64s; NaN (no value yet) read as null, as the routes print it. */
function float64s(bytes: Buffer): (number | null)[] {
  return Array.from({ length: bytes.length / 8 }, (_, i) => bytes.readDoubleLE(i * 8)).map((v) => (Number.isNaN(v) ? null : v));
}

/** Every stored value of one indicator, in bar order, per output: what the batch computation over `bars` must give. */
async function storedValues(t: TestApp, symbol: string, indicator: string): Promise<{ times: number[]; outputs: (number | null)[][] }> {
  const blocks = await t.database.query<StoredBlock>(
    `SELECT bars, times, outputs FROM indicator_blocks WHERE symbol = $1 AND timeframe = '1m' AND indicator = $2 ORDER BY block_start`,
    [symbol, indicator],
  );
  const perBlock = blocks.map((block) => {
    const values = float64s(block.outputs);
    return Array.from({ length: values.length / block.bars }, (_, o) => values.slice(o * block.bars, (o + 1) * block.bars));
  });
  const outputs = perBlock[0].map((_, o) => perBlock.flatMap((block) => block[o]));
  return { times: blocks.flatMap((block) => float64s(block.times) as number[]), outputs };
}

/** The first place two series of values differ (same value, or both null), or undefined: a plain loop, jest's deep equality is slow at 100k values. */
function firstDifference(actual: readonly (number | null)[], expected: readonly (number | null)[]): object | undefined {
  if (actual.length !== expected.length) return { length: actual.length, expected: expected.length };
  const at = actual.findIndex((value, i) => value !== expected[i]);
  return at < 0 ? undefined : { at, actual: actual[at], expected: expected[at] };
}

async function expectEnriched(t: TestApp, symbol: string, bars: readonly Candle[]): Promise<void> {
  for (const indicator of DEFAULTS) {
    const stored = await storedValues(t, symbol, indicator);
    expect({
      indicator,
      times: firstDifference(
        stored.times,
        bars.map((bar) => bar.time),
      ),
    }).toEqual({ indicator, times: undefined });
    const expected = batchOutputs(indicator, bars, symbol);
    expect(stored.outputs).toHaveLength(expected.length);
    expected.forEach((values, output) =>
      expect({ indicator, output, difference: firstDifference(stored.outputs[output], values) }).toEqual({
        indicator,
        output,
        difference: undefined,
      }),
    );
  }
}

/** Minutes of the extended sessions from `from`, about 960 a weekday. */
function minutes(symbol: string, from: string, days: number, seed: number): Candle[] {
  const start = Date.parse(from);
  return syntheticMinutes(symbol, start, start + days * 86_400_000, seed);
}

describe('enrichment across instances (postgresql)', () => {
  let testDatabase: TestDatabase;
  let writer: TestApp;

  beforeAll(async () => {
    testDatabase = await openTestDatabase('postgresql');
    writer = await createTestApp('postgresql', { testDatabase });
  });

  afterAll(async () => {
    await writer.close();
    await testDatabase.dispose();
  });

  it('two instances compute each series once between them, and agree with one computation over all bars', async () => {
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMZN'];
    const bars = new Map(symbols.map((symbol, i) => [symbol, minutes(symbol, '2024-03-04T00:00:00Z', 14, i + 1)]));
    for (const symbol of symbols) {
      await writer.app.get(TrackedSymbolRepository).insert(symbol, ['1m'], 'stocks', null);
      await writer.app.get(CandleRepository).upsertMany(bars.get(symbol)!);
    }
    const [a, b] = await Promise.all([
      createTestApp('postgresql', { testDatabase, env: ENRICHING }),
      createTestApp('postgresql', { testDatabase, env: ENRICHING }),
    ]);
    try {
      await Promise.all([a.app.get(EnrichmentScheduler).catchUpNow(), b.app.get(EnrichmentScheduler).catchUpNow()]);
      const runs = await writer.database.query<{ symbol: string; runs: number }>(
        'SELECT symbol, min(runs)::float8 AS runs, max(runs)::float8 AS most FROM enrichment_series GROUP BY symbol ORDER BY symbol',
      );
      expect(runs).toEqual([...symbols].sort().map((symbol) => ({ symbol, runs: 1, most: 1 })));
      expect(await writer.database.query('SELECT symbol FROM candle_changes')).toEqual([]);
      for (const symbol of symbols) await expectEnriched(a, symbol, bars.get(symbol)!);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a job killed with -9 mid-run is resumed by the next instance and leaves values that agree with the bars', async () => {
    const bars = minutes('SPY', '2023-01-02T00:00:00Z', 180, 9);
    await writer.app.get(TrackedSymbolRepository).insert('SPY', ['1m'], 'stocks', null);
    await writer.app.get(CandleRepository).upsertMany(bars);
    if (testDatabase.target.kind !== 'url') throw new Error('expected a URL target');

    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const child: ChildProcess = spawn(process.execPath, MAIN, {
      cwd: ROOT,
      env: { ...inherited, ...ENRICHING, DATABASE_URL: testDatabase.target.url, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((done) => child.on('exit', done));
    try {
      // Killed once the job has written some blocks of SPY but not finished any indicator.
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the service ended before it could be killed:\n${output}`);
        const [row] = await writer.database.query<{ blocks: number; done: number }>(
          `SELECT (SELECT count(*) FROM indicator_blocks WHERE symbol = 'SPY')::float8 AS blocks,
                  (SELECT count(*) FROM enrichment_series WHERE symbol = 'SPY' AND computed_through IS NOT NULL)::float8 AS done`,
        );
        if (row.done > 0) throw new Error('the job finished before it could be killed');
        if (row.blocks > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(await writer.database.query(`SELECT symbol FROM candle_changes WHERE symbol = 'SPY'`)).toEqual([{ symbol: 'SPY' }]);

    const next = await createTestApp('postgresql', { testDatabase, env: ENRICHING });
    try {
      await next.app.get(EnrichmentScheduler).catchUpNow();
      await expectEnriched(next, 'SPY', bars);
      expect(await next.database.query(`SELECT symbol FROM candle_changes WHERE symbol = 'SPY'`)).toEqual([]);
    } finally {
      await next.close();
    }
  }, 120_000); // a process start (ts-node) and a year of 1m on a shared machine
});
