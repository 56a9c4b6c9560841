import { DatabaseTestContext, ENGINES, bootDatabase } from '@app/testing';
import { Candle } from '@app/core';
import { CandleRepository } from './candle.repository';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const MINUTE = 60_000;

/** Deterministic bars with full-precision doubles, so a lossy round trip would show. */
function minuteBars(symbol: string, count: number, startMs = T0, seed = 1): Candle[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, (_, i) => {
    const open = 100 + random() * 50;
    const close = 100 + random() * 50;
    const high = Math.max(open, close) + random();
    const low = Math.min(open, close) - random();
    return {
      symbol,
      timeframe: '1m' as const,
      time: startMs + i * MINUTE,
      open,
      high,
      low,
      close,
      volume: Math.floor(random() * 1e6) + random(),
      vwap: i % 7 === 0 ? null : (open + close) / 2,
      trades: i % 11 === 0 ? null : Math.floor(random() * 5000),
    };
  });
}

describe.each(ENGINES)('CandleRepository on %s', (engine) => {
  let ctx: DatabaseTestContext;
  let repository: CandleRepository;

  beforeAll(async () => {
    ctx = await bootDatabase(engine);
    repository = ctx.module.get(CandleRepository);
  });

  afterAll(() => ctx.close());

  it('upserting the same batch twice leaves the same rows and changes nothing the second time', async () => {
    const bars = minuteBars('IDEM', 500);
    expect(await repository.upsertMany(bars)).toBe(500);
    const first = await repository.findRange({ symbol: 'IDEM', timeframe: '1m', start: T0, end: T0 + 1000 * MINUTE, limit: 10_000 });
    expect(await repository.upsertMany(bars)).toBe(0);
    const second = await repository.findRange({ symbol: 'IDEM', timeframe: '1m', start: T0, end: T0 + 1000 * MINUTE, limit: 10_000 });
    expect(second).toEqual(first);
    expect(second).toEqual(bars);
  });

  it('a revised bar overwrites the stored one', async () => {
    const [bar] = minuteBars('REV', 1);
    await repository.upsertMany([bar]);
    const revised = { ...bar, close: bar.close + 0.01, high: bar.high + 0.02, volume: bar.volume + 300, trades: 42 };
    expect(await repository.upsertMany([revised])).toBe(1);
    const stored = await repository.findRange({ symbol: 'REV', timeframe: '1m', start: bar.time, end: bar.time + MINUTE, limit: 10 });
    expect(stored).toEqual([revised]);
  });

  it('keeps the last copy when one batch holds the same bar twice', async () => {
    const [bar] = minuteBars('DUP', 1);
    const later = { ...bar, close: bar.close + 1, high: bar.high + 1 };
    await repository.upsertMany([bar, later]);
    expect(await repository.findRange({ symbol: 'DUP', timeframe: '1m', start: bar.time, end: bar.time + MINUTE, limit: 10 })).toEqual([
      later,
    ]);
  });

  it('reads [start, end): start inclusive, end exclusive, ordered, limited, per symbol and timeframe', async () => {
    const bars = minuteBars('RNG', 10);
    const hourly: Candle = { ...bars[0], timeframe: '1h' };
    await repository.upsertMany([...bars, hourly, ...minuteBars('OTHER', 10)]);
    const range = await repository.findRange({ symbol: 'RNG', timeframe: '1m', start: bars[2].time, end: bars[5].time, limit: 100 });
    expect(range.map((c) => c.time)).toEqual([bars[2].time, bars[3].time, bars[4].time]);
    const limited = await repository.findRange({ symbol: 'RNG', timeframe: '1m', start: T0, end: T0 + 60 * MINUTE, limit: 4 });
    expect(limited).toEqual(bars.slice(0, 4));
    const newestFirst = await repository.findRange({
      symbol: 'RNG',
      timeframe: '1m',
      start: T0,
      end: T0 + 60 * MINUTE,
      limit: 2,
      order: 'desc',
    });
    expect(newestFirst.map((c) => c.time)).toEqual([bars[9].time, bars[8].time]);
    expect(await repository.findRange({ symbol: 'RNG', timeframe: '1h', start: T0, end: T0 + 60 * MINUTE, limit: 10 })).toEqual([hourly]);
    expect(await repository.count('RNG', '1m', bars[0].time, bars[9].time)).toBe(9);
  });

  it('round-trips 100k one-minute bars bit-for-bit', async () => {
    const bars = minuteBars('BULK', 100_000, Date.UTC(2023, 0, 1), 7);
    expect(await repository.upsertMany(bars)).toBe(100_000);
    const stored = await repository.findRange({
      symbol: 'BULK',
      timeframe: '1m',
      start: bars[0].time,
      end: bars[bars.length - 1].time + MINUTE,
      limit: 200_000,
    });
    expect(stored.length).toBe(bars.length);
    const mismatches = stored.filter((row, i) => {
      const want = bars[i];
      return (
        row.time !== want.time ||
        !Object.is(row.open, want.open) ||
        !Object.is(row.high, want.high) ||
        !Object.is(row.low, want.low) ||
        !Object.is(row.close, want.close) ||
        !Object.is(row.volume, want.volume) ||
        !Object.is(row.vwap, want.vwap) ||
        !Object.is(row.trades, want.trades)
      );
    });
    expect(mismatches).toEqual([]);
  });

  it('deleteSymbol removes every bar of that symbol only', async () => {
    await repository.upsertMany([...minuteBars('GONE', 5), ...minuteBars('STAY', 5)]);
    expect(await repository.deleteSymbol('GONE')).toBe(5);
    expect(await repository.count('GONE', '1m', 0, Date.UTC(2100, 0))).toBe(0);
    expect(await repository.count('STAY', '1m', 0, Date.UTC(2100, 0))).toBe(5);
  });
});

describe('market_data storage layout', () => {
  it('is a compressed hypertable on TimescaleDB and reads the same after compression', async () => {
    const ctx = await bootDatabase('timescaledb');
    try {
      const repository = ctx.module.get(CandleRepository);
      const [hypertable] = await ctx.database.query<{ compression_enabled: boolean }>(
        `SELECT compression_enabled FROM timescaledb_information.hypertables WHERE hypertable_name = 'market_data'`,
      );
      expect(hypertable).toEqual({ compression_enabled: true });
      const policies = await ctx.database.query<{ proc_name: string }>(
        `SELECT proc_name FROM timescaledb_information.jobs WHERE hypertable_name = 'market_data'`,
      );
      expect(policies.map((p) => p.proc_name)).toContain('policy_compression');
      const segmentBy = await ctx.database.query<{ attname: string }>(
        `SELECT attname FROM timescaledb_information.compression_settings
         WHERE hypertable_name = 'market_data' AND segmentby_column_index IS NOT NULL ORDER BY segmentby_column_index`,
      );
      expect(segmentBy.map((s) => s.attname)).toEqual(['symbol', 'timeframe']);

      const bars = [...minuteBars('CMP', 30_000, Date.UTC(2023, 5, 1), 3), ...minuteBars('CMQ', 2_000, Date.UTC(2023, 5, 1), 4)];
      await repository.upsertMany(bars);
      const range = { timeframe: '1m' as const, start: Date.UTC(2023, 5, 1), end: Date.UTC(2023, 7, 1), limit: 100_000 };
      const before = await repository.findRange({ ...range, symbol: 'CMP' });
      const partial = await repository.findRange({ ...range, symbol: 'CMP', start: bars[1000].time, end: bars[1500].time });
      const compressed = await ctx.database.query(`SELECT compress_chunk(c) FROM show_chunks('market_data') c`);
      expect(compressed.length).toBeGreaterThan(1);
      const [{ n }] = await ctx.database.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM timescaledb_information.chunks WHERE hypertable_name = 'market_data' AND is_compressed`,
      );
      expect(n).toBe(compressed.length);
      expect(await repository.findRange({ ...range, symbol: 'CMP' })).toEqual(before);
      expect(await repository.findRange({ ...range, symbol: 'CMP', start: bars[1000].time, end: bars[1500].time })).toEqual(partial);
      expect(before).toEqual(bars.slice(0, 30_000));
      // A revision landing in a compressed chunk still overwrites.
      const revised = { ...bars[10], close: bars[10].close + 0.5, high: bars[10].high + 0.5 };
      expect(await repository.upsertMany([revised])).toBe(1);
      expect(await repository.findRange({ ...range, symbol: 'CMP', start: revised.time, end: revised.time + MINUTE })).toEqual([revised]);
    } finally {
      await ctx.close();
    }
  });

  it('is a plain table with a BRIN index on time on PostgreSQL', async () => {
    const ctx = await bootDatabase('postgresql');
    try {
      const indexes = await ctx.database.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'market_data'`);
      expect(indexes.map((i) => i.indexdef).join('\n')).toMatch(/USING brin \(("?)time\1\)/);
      expect(ctx.database.hasTimescale).toBe(false);
    } finally {
      await ctx.close();
    }
  });
});
