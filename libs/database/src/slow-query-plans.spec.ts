import type { Counter, Histogram, Registry } from 'prom-client';
import { MINUTE_MS } from '@app/core';
import { METRICS_REGISTRY } from '@app/metrics';
import { type DatabaseTestContext, ENGINES, bootDatabase } from '@app/testing';
import { SlowQueryPlans, readsCandles } from './slow-query-plans';

const SLOW_QUERY_MS = 20;
/** pg_sleep makes the statement last at least this long on either engine, far above SLOW_QUERY_MS. */
const PAUSE_SECONDS = 0.05;
/** Reads candles (market_data) and sleeps once: one aggregate row whatever the data. */
const SLOW_CANDLE_READ = `SELECT count(*)::float8 AS n, pg_sleep($3) FROM market_data WHERE symbol = $1 AND timeframe = $2`;
const ENV = { SLOW_QUERY_MS: String(SLOW_QUERY_MS) };

async function slowQueryCount(registry: Registry): Promise<number> {
  const counter = registry.getSingleMetric('db_slow_queries_total') as Counter;
  return (await counter.get()).values[0]?.value ?? 0;
}

describe('readsCandles', () => {
  it('is a SELECT or WITH over market_data or one of its aggregates', () => {
    expect(readsCandles('SELECT open FROM market_data WHERE symbol = $1')).toBe(true);
    expect(readsCandles('  -- derived\n WITH b AS (SELECT 1) SELECT * FROM market_data_1h, b')).toBe(true);
    expect(readsCandles('SELECT s.symbol FROM tracked_symbols s JOIN market_data m ON m.symbol = s.symbol')).toBe(true);
    expect(readsCandles("SELECT idx_scan FROM pg_stat_user_tables WHERE relname = 'market_data'")).toBe(false);
    expect(readsCandles('DELETE FROM market_data WHERE symbol = $1')).toBe(false);
    expect(readsCandles('SELECT * FROM tracked_symbols')).toBe(false);
  });
});

describe.each(ENGINES)('slow candle query plans on %s', (engine) => {
  let ctx: DatabaseTestContext;
  let plans: SlowQueryPlans;
  let registry: Registry;

  beforeAll(async () => {
    ctx = await bootDatabase(engine, { env: ENV });
    plans = ctx.module.get(SlowQueryPlans);
    registry = ctx.module.get(METRICS_REGISTRY);
    await ctx.database.execute(
      `INSERT INTO market_data (time, symbol, timeframe, open, high, low, close, volume)
       SELECT t, 'SPY', '1m', 1, 1, 1, 1, 1 FROM generate_series('2024-01-02'::timestamptz, '2024-01-03', '1 minute') AS t`,
    );
  });

  afterAll(() => ctx.close());

  afterEach(() => jest.restoreAllMocks());

  it('explains a slow candle read in the background with its own parameters, once per shape within 10 minutes', async () => {
    await ctx.database.query(SLOW_CANDLE_READ, ['SPY', '1m', PAUSE_SECONDS]);
    await plans.whenIdle();
    const [captured, ...others] = plans.recent();
    expect(others).toHaveLength(0);
    expect(captured).toMatchObject({ sql: SLOW_CANDLE_READ, shape: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(captured.ms).toBeGreaterThanOrEqual(SLOW_QUERY_MS);
    expect(captured.plan).toContain('market_data');
    expect(captured.plan).toMatch(/Scan/);
    expect(captured.plan).toContain("'SPY'"); // the statement's own parameter, bound into the plan

    await ctx.database.query(SLOW_CANDLE_READ, ['QQQ', '1m', PAUSE_SECONDS]); // same shape, other values
    await plans.whenIdle();
    expect(plans.recent()).toEqual([captured]);
    expect(await slowQueryCount(registry)).toBe(2);
  });

  it('explains the same shape again once 10 minutes have passed', async () => {
    // Shifted, not frozen: the in-process engine's pg_sleep waits on this clock too.
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 11 * MINUTE_MS);
    await ctx.database.query(SLOW_CANDLE_READ, ['SPY', '1m', PAUSE_SECONDS]);
    await plans.whenIdle();
    const [newest, previous] = plans.recent();
    expect(newest.shape).toBe(previous.shape);
    expect(newest.plan).toContain('market_data');
  });

  it('does not explain slow statements that read no candles', async () => {
    const before = { plans: plans.recent(), slow: await slowQueryCount(registry) };
    await ctx.database.query('SELECT pg_sleep($1)', [PAUSE_SECONDS]);
    await ctx.database.query('SELECT count(*) AS n, pg_sleep($1) FROM tracked_symbols', [PAUSE_SECONDS]);
    await plans.whenIdle();
    expect(plans.recent()).toEqual(before.plans);
    expect(await slowQueryCount(registry)).toBe(before.slow);
  });

  it('never makes the statement wait for its EXPLAIN, also while it holds the only session', async () => {
    // execute() keeps its connection until the statement returns: an awaited EXPLAIN would need a
    // second one, which the single-session engine does not have.
    const heldConnection = `${SLOW_CANDLE_READ} AND time >= $4`;
    const [, other] = await Promise.all([
      ctx.database.execute(heldConnection, ['SPY', '1m', PAUSE_SECONDS, '2024-01-02T12:00:00Z']),
      ctx.database.query<{ one: number }>('SELECT 1 AS one'),
    ]);
    expect(other).toEqual([{ one: 1 }]);
    await plans.whenIdle();
    expect(plans.recent()[0]).toMatchObject({ sql: heldConnection, plan: expect.stringContaining('market_data') });
  });

  it('keeps the newest 20 plans', async () => {
    for (let i = 0; i < 21; i++) await ctx.database.query(`${SLOW_CANDLE_READ} -- shape ${i}`, ['SPY', '1m', PAUSE_SECONDS]);
    await plans.whenIdle();
    const kept = plans.recent();
    expect(kept).toHaveLength(20);
    expect(kept[0].sql).toMatch(/-- shape 20$/);
    expect(kept[19].sql).toMatch(/-- shape 1$/);
  });
});

describe.each(ENGINES)('slow candle query plans with MONITOR_ENABLED=false on %s', (engine) => {
  let ctx: DatabaseTestContext;

  beforeAll(async () => {
    ctx = await bootDatabase(engine, { env: { ...ENV, MONITOR_ENABLED: 'false' } });
  });

  afterAll(() => ctx.close());

  it('neither times statements nor explains slow candle reads', async () => {
    await ctx.database.query(SLOW_CANDLE_READ, ['SPY', '1m', PAUSE_SECONDS]);
    const plans = ctx.module.get(SlowQueryPlans);
    await plans.whenIdle();
    expect(plans.recent()).toEqual([]);
    const registry = ctx.module.get<Registry>(METRICS_REGISTRY);
    expect(await slowQueryCount(registry)).toBe(0);
    const duration = registry.getSingleMetric('db_query_duration_seconds') as Histogram;
    expect((await duration.get()).values).toEqual([]);
  });
});
