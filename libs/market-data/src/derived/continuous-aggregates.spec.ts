import { type Candle, Timeframe } from '@app/core';
import { DatabaseTestContext, bootDatabase } from '@app/testing';
import { CandleRepository } from '../candles/candle.repository';
import { CreateDerivedCandleAggregates1764000000100 } from '../../../../migrations/1764000000100-create-derived-candle-aggregates';
import { AGGREGATE_VIEWS } from './aggregate-views';
import { DERIVABLE_TIMEFRAMES, type DerivedCandle } from './derived-candle';
import { DerivedCandleService } from './derived-candle.service';
import { expectSameBars, rollUp, syntheticMinutes } from '@app/market-data/testing';

/**
 * The TimescaleDB machinery behind derived candles: what migration 1764000000100 creates,
 * real-time aggregation of the newest data, refreshes after backfills, compressed chunks.
 * PGlite has no background workers, so the policies are checked as configured, and
 * refreshes are the service's explicit ones.
 */
const at = (iso: string): number => Date.parse(iso);
/** 2024-01-02 .. 2024-01-06 crosses the 2024-01-04 chunk boundary (7-day chunks from the epoch, a Thursday). */
const FROM = at('2024-01-02T00:00:00Z');
const TO = at('2024-01-06T00:00:00Z');
const WHOLE = { start: at('2023-12-31T00:00:00Z'), end: at('2024-01-08T00:00:00Z'), limit: 10_000 };

let ctx: DatabaseTestContext;
let service: DerivedCandleService;
let candles: CandleRepository;

beforeAll(async () => {
  ctx = await bootDatabase('timescaledb');
  service = ctx.module.get(DerivedCandleService);
  candles = ctx.module.get(CandleRepository);
}, 60_000);

afterAll(() => ctx.close());

/** Every derivable timeframe of `symbol` over the whole test range. */
async function deriveAll(symbol: string): Promise<Map<string, DerivedCandle[]>> {
  const result = new Map<string, DerivedCandle[]>();
  for (const timeframe of DERIVABLE_TIMEFRAMES) result.set(timeframe, await service.derive({ symbol, timeframe, ...WHOLE }));
  return result;
}

function expectRollupsOf(derived: Map<string, DerivedCandle[]>, bars: readonly Candle[]): void {
  for (const timeframe of DERIVABLE_TIMEFRAMES) {
    const frame = Timeframe.of(timeframe);
    expectSameBars(
      derived.get(timeframe)!,
      rollUp(bars, (ms) => frame.bucketStart(ms)),
    );
  }
}

describe('continuous aggregates on TimescaleDB', () => {
  it('the migration creates one real-time aggregate per timeframe, stacked where alignment allows, each with a refresh policy', async () => {
    const views = await ctx.database.query<{ view: string; parent: string | null; materialized_only: boolean }>(
      `SELECT a.user_view_name AS view, p.user_view_name AS parent, a.materialized_only
       FROM _timescaledb_catalog.continuous_agg a
       LEFT JOIN _timescaledb_catalog.continuous_agg p ON p.mat_hypertable_id = a.parent_mat_hypertable_id
       ORDER BY a.mat_hypertable_id`,
    );
    expect(views).toEqual([
      { view: 'market_data_5m', parent: null, materialized_only: false },
      { view: 'market_data_15m', parent: 'market_data_5m', materialized_only: false },
      { view: 'market_data_30m', parent: 'market_data_15m', materialized_only: false },
      { view: 'market_data_1h', parent: 'market_data_30m', materialized_only: false },
      { view: 'market_data_4h', parent: 'market_data_1h', materialized_only: false },
      { view: 'market_data_1d', parent: null, materialized_only: false },
      { view: 'market_data_1w', parent: 'market_data_1d', materialized_only: false },
    ]);
    expect(views.map((v) => v.view)).toEqual(AGGREGATE_VIEWS.map((v) => v.view));

    const policies = await ctx.database.query<{ view: string; start_offset: string; end_offset: string }>(
      `SELECT hypertable_name AS view, config->>'start_offset' AS start_offset, config->>'end_offset' AS end_offset
       FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate' ORDER BY job_id`,
    );
    expect(policies).toEqual([
      { view: 'market_data_5m', start_offset: '1 day', end_offset: '00:05:00' },
      { view: 'market_data_15m', start_offset: '1 day', end_offset: '00:15:00' },
      { view: 'market_data_30m', start_offset: '2 days', end_offset: '00:30:00' },
      { view: 'market_data_1h', start_offset: '2 days', end_offset: '01:00:00' },
      { view: 'market_data_4h', start_offset: '3 days', end_offset: '04:00:00' },
      { view: 'market_data_1d', start_offset: '7 days', end_offset: '1 day' },
      { view: 'market_data_1w', start_offset: '35 days', end_offset: '7 days' },
    ]);
  });

  it('aggregates only 1m rows, per symbol: stored bars of other timeframes and symbols do not leak in', async () => {
    const bars = syntheticMinutes('ONLY', FROM, FROM + 120 * 60_000);
    const native: Candle = { ...bars[0], timeframe: '1h', high: 10_000, volume: 1 };
    await candles.upsertMany([...bars, native, ...syntheticMinutes('NEIGHBOUR', FROM, FROM + 120 * 60_000, 9)]);
    await service.refreshAfterWrite('ONLY', FROM, FROM + 120 * 60_000);
    expectRollupsOf(await deriveAll('ONLY'), bars);
  });

  it('serves the buckets newer than the last refresh in real time, without another refresh', async () => {
    // At "now" = 2024-02-03 00:00Z everything closed is materialised; the week and later days are still open.
    const now = at('2024-02-03T00:00:00Z');
    const older = syntheticMinutes('LIVE', at('2024-02-01T00:00:00Z'), now);
    await candles.upsertMany(older);
    await service.refreshAfterWrite('LIVE', older[0].time, now, now);
    // Newer 1m bars arrive; nothing refreshes the aggregates (no policy runs in PGlite).
    const newer = syntheticMinutes('LIVE', now, at('2024-02-05T00:00:00Z'), 2);
    await candles.upsertMany(newer);
    const range = { start: at('2024-01-28T00:00:00Z'), end: at('2024-02-06T00:00:00Z'), limit: 10_000 };
    for (const timeframe of DERIVABLE_TIMEFRAMES) {
      const frame = Timeframe.of(timeframe);
      const derived = await service.derive({ symbol: 'LIVE', timeframe, ...range });
      expectSameBars(
        derived,
        rollUp([...older, ...newer], (ms) => frame.bucketStart(ms)),
      );
    }
  });

  it('after a backfill or revision of older 1m bars, refreshAfterWrite brings every level up to date', async () => {
    const bars = syntheticMinutes('BACK', FROM + 86_400_000, TO);
    await candles.upsertMany(bars);
    await service.refreshAfterWrite('BACK', FROM + 86_400_000, TO);

    const backfill = syntheticMinutes('BACK', FROM, FROM + 86_400_000, 3);
    const revised = { ...bars[500], high: bars[500].high + 7, volume: bars[500].volume + 1000 };
    await candles.upsertMany([...backfill, revised]);
    const expected = [...backfill, ...bars.map((bar) => (bar.time === revised.time ? revised : bar))];

    // Below the watermark real-time aggregation does not look: without a refresh the daily bars are stale.
    const staleDays = await service.derive({ symbol: 'BACK', timeframe: '1d', ...WHOLE });
    expect(staleDays.map((day) => day.minuteBars)).not.toEqual(
      rollUp(expected, (ms) => Timeframe.of('1d').bucketStart(ms)).map((d) => d.minuteBars),
    );

    await service.refreshAfterWrite('BACK', FROM, revised.time + 60_000);
    expectRollupsOf(await deriveAll('BACK'), expected);
  });

  it('stays correct over compressed chunks, including a backfill into one', async () => {
    const bars = syntheticMinutes('CMPR', FROM, TO, 4);
    await candles.upsertMany(bars);
    await service.refreshAfterWrite('CMPR', FROM, TO);
    const before = await deriveAll('CMPR');

    const compressed = await ctx.database.query(`SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('market_data') c`);
    expect(compressed.length).toBeGreaterThan(1);
    expect(await deriveAll('CMPR')).toEqual(before);

    const revised = { ...bars[100], low: bars[100].low - 3, close: bars[100].close - 1 };
    await candles.upsertMany([revised]);
    await service.refreshAfterWrite('CMPR', revised.time, revised.time + 60_000);
    expectRollupsOf(
      await deriveAll('CMPR'),
      bars.map((bar) => (bar.time === revised.time ? revised : bar)),
    );
  });

  // Runs last among the TimescaleDB tests: it moves the aggregates' watermark (one per view,
  // shared by all symbols) to March, and data below a watermark shows only once refreshed.
  it('refreshAfterWrite never materialises open buckets, so late bars in them show at once; closed ones need the refresh', async () => {
    const now = at('2024-03-05T10:32:00Z');
    const bars = syntheticMinutes('OPEN', at('2024-03-04T00:00:00Z'), now, 5);
    await candles.upsertMany(bars);
    await service.refreshAfterWrite('OPEN', bars[0].time, now, now);
    const byTime = new Map(bars.map((bar) => [bar.time, bar]));
    // 10:31 lies in buckets open at 10:32 on every level (5m from 10:30, 15m from 10:30, ..., the week).
    const lateInOpen = { ...byTime.get(at('2024-03-05T10:31:00Z'))!, volume: 123_456, high: 1_000 };
    // 10:05 lies in 5m and 15m buckets that had closed, and were materialised, by 10:32.
    const lateInClosed = { ...byTime.get(at('2024-03-05T10:05:00Z'))!, volume: 654_321, low: 1 };
    const next = syntheticMinutes('OPEN', now, now + 3 * 60_000, 6);
    await candles.upsertMany([lateInOpen, lateInClosed, ...next]);

    const asOf = now + 3 * 60_000;
    const range = { start: at('2024-03-01T00:00:00Z'), end: at('2024-03-10T00:00:00Z'), limit: 10_000, asOf };
    const withOpenWrite = [...bars.map((bar) => (bar.time === lateInOpen.time ? lateInOpen : bar)), ...next];
    const fiveMinute = Timeframe.of('5m');
    // Without a refresh: the open buckets are exact, the closed 10:05 bucket still stale.
    expectSameBars(
      await service.derive({ symbol: 'OPEN', timeframe: '5m', ...range }),
      rollUp(withOpenWrite, (ms) => fiveMinute.bucketStart(ms)),
    );

    await service.refreshAfterWrite('OPEN', lateInClosed.time, lateInClosed.time + 60_000, asOf);
    const everything = withOpenWrite.map((bar) => (bar.time === lateInClosed.time ? lateInClosed : bar));
    for (const timeframe of DERIVABLE_TIMEFRAMES) {
      const frame = Timeframe.of(timeframe);
      expectSameBars(
        await service.derive({ symbol: 'OPEN', timeframe, ...range }),
        rollUp(everything, (ms) => frame.bucketStart(ms)),
      );
    }
  });

  // Last: it drops and recreates the aggregates.
  it('the migration reruns cleanly (it has no transaction to roll back) and reverts', async () => {
    const migration = new CreateDerivedCandleAggregates1764000000100();
    // PGlite has one session: everything here goes through this runner, which holds it.
    const runner = ctx.database.dataSource.createQueryRunner();
    const counts = async (): Promise<{ views: number; policies: number }> => {
      const [row] = (await runner.query(
        `SELECT (SELECT count(*) FROM timescaledb_information.continuous_aggregates)::int AS views,
                (SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate')::int AS policies`,
      )) as { views: number; policies: number }[];
      return row;
    };
    try {
      await migration.up(runner);
      expect(await counts()).toEqual({ views: 7, policies: 7 });
      await migration.down(runner);
      expect(await counts()).toEqual({ views: 0, policies: 0 });
      await migration.up(runner);
      expect(await counts()).toEqual({ views: 7, policies: 7 });
    } finally {
      await runner.release();
    }
    // Recreated WITH NO DATA: real-time aggregation answers from the 1m rows until a refresh.
    const bars = syntheticMinutes('AGAIN', FROM, FROM + 3 * 86_400_000, 8);
    await candles.upsertMany(bars);
    expectRollupsOf(await deriveAll('AGAIN'), bars);
  });
});

describe('on plain PostgreSQL', () => {
  it('the migration creates nothing and derivation runs at query time', async () => {
    const postgres = await bootDatabase('postgresql');
    try {
      expect(await postgres.database.query(`SELECT matviewname FROM pg_matviews`)).toEqual([]);
      const applied = await postgres.database.query<{ name: string }>(`SELECT name FROM migrations ORDER BY id`);
      expect(applied.map((m) => m.name)).toContain('CreateDerivedCandleAggregates1764000000100');
      const derived = postgres.module.get(DerivedCandleService);
      expect(derived.methodFor({ symbol: 'SPY' })).toBe('query-time');
      await expect(derived.refreshAfterWrite('SPY', FROM, TO)).resolves.toBeUndefined();
    } finally {
      await postgres.close();
    }
  });
});
