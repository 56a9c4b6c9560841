import type { Registry } from 'prom-client';
import { type Candle, DAY_MS, HOUR_MS, MINUTE_MS, type TimeframeValue } from '@app/core';
import type { DatabaseService } from '@app/database';
import { CandleRepository } from '@app/market-data';
import { METRICS_REGISTRY } from '@app/metrics';
import type { StorageReport } from '@app/monitoring';
import { StorageMonitor } from '@app/monitoring/testing';
import { ENGINES, type TestApp } from '@app/testing';
import { metricSample as sample } from './support/metric-sample';
import { createTestApp } from './support/test-app';

const FROM = Date.UTC(2024, 0, 1);
const CAPACITY = 10 * 1024 ** 3;
const THRESHOLD_PERCENT = 50;
/** What one sample writes to storage_samples (a row, a page of its index), with room for a second sample's. */
const SAMPLE_WRITE_BYTES = 64 * 1024;

/** Spread over several weeks, so TimescaleDB's 7-day chunks are several. */
function bars(symbol: string, timeframe: TimeframeValue, count: number, stepMs: number): Candle[] {
  return Array.from({ length: count }, (_, i) => {
    const open = 100 + (i % 50);
    return {
      symbol,
      timeframe,
      time: FROM + i * stepMs,
      open,
      high: open + 1,
      low: open - 1,
      close: open + 0.5,
      volume: i,
      vwap: open,
      trades: i,
    };
  });
}

async function countsPerTimeframe(database: DatabaseService): Promise<Record<string, number>> {
  const rows = await database.query<{ timeframe: string; n: number }>(
    'SELECT timeframe, count(*)::int AS n FROM market_data GROUP BY timeframe',
  );
  return Object.fromEntries(rows.map(({ timeframe, n }) => [timeframe, n]));
}

async function scalar(database: DatabaseService, sql: string): Promise<number> {
  const [row] = await database.query<{ value: number }>(sql);
  return row.value;
}

function rowsOf(report: StorageReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report.timeframes).map(([timeframe, { rows }]) => [timeframe, rows]));
}

describe.each(ENGINES)('storage samples on %s', (engine) => {
  const env = { STORAGE_CAPACITY_BYTES: String(CAPACITY), ALERT_STORAGE_PERCENT: String(THRESHOLD_PERCENT) };
  let t: TestApp;
  let monitor: StorageMonitor;
  let report: StorageReport;

  beforeAll(async () => {
    t = await createTestApp(engine, { env });
    monitor = t.app.get(StorageMonitor);
    await t.app
      .get(CandleRepository)
      .upsertMany([
        ...bars('AAA', '1m', 3_000, 15 * MINUTE_MS),
        ...bars('BBB', '1m', 1_000, 30 * MINUTE_MS),
        ...bars('AAA', '1h', 500, HOUR_MS),
        ...bars('AAA', '1d', 60, DAY_MS),
      ]);
    // Vacuum now, not autovacuum between a sample and the test's own size query.
    await t.database.query('VACUUM ANALYZE market_data');
    report = await monitor.sampleNow();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('counts the rows of each timeframe exactly, and shares out the bytes of market_data by rows', async () => {
    const counts = await countsPerTimeframe(t.database);
    expect(counts).toEqual({ '1m': 4_000, '1h': 500, '1d': 60 });
    expect(rowsOf(report)).toEqual(counts);
    expect(report.marketData.rows).toBe(4_560);
    const size = engine === 'timescaledb' ? `hypertable_size('market_data')` : `pg_total_relation_size('market_data')`;
    expect(report.marketData.bytes).toBe(await scalar(t.database, `SELECT ${size}::float8 AS value`));
    for (const { rows, bytes } of Object.values(report.timeframes)) {
      expect(bytes).toBeCloseTo((report.marketData.bytes * rows) / report.marketData.rows, -1);
    }
  });

  it('measures the database as pg_database_size does, up to what the sample itself wrote', async () => {
    const now = await scalar(t.database, 'SELECT pg_database_size(current_database())::float8 AS value');
    expect(Math.abs(now - report.databaseBytes)).toBeLessThanOrEqual(SAMPLE_WRITE_BYTES);
  });

  it('takes the capacity from STORAGE_CAPACITY_BYTES: percent used and the threshold', () => {
    expect(report.capacity).toEqual({
      bytes: CAPACITY,
      source: 'setting',
      percentUsed: (report.databaseBytes / CAPACITY) * 100,
      daysUntilThreshold: null, // one sample: no growth yet
      thresholdPercent: THRESHOLD_PERCENT,
    });
    expect(report.growth).toBeNull();
  });

  it('keeps the sample in storage_samples', async () => {
    const [row] = await t.database.query<Record<string, number | string | null>>(
      `SELECT database_bytes::float8, market_data_bytes::float8, market_data_rows::float8, capacity_bytes::float8, timeframes
       FROM storage_samples WHERE sampled_at = $1`,
      [report.sampledAt],
    );
    expect(row).toEqual({
      database_bytes: report.databaseBytes,
      market_data_bytes: report.marketData.bytes,
      market_data_rows: report.marketData.rows,
      capacity_bytes: CAPACITY,
      timeframes: report.timeframes,
    });
  });

  it('exports the newest sample as gauges', async () => {
    const newest = (await monitor.report())!;
    const text = await t.app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(sample(text, 'storage_database_bytes')).toBe(newest.databaseBytes);
    expect(sample(text, 'storage_capacity_bytes')).toBe(CAPACITY);
    expect(sample(text, 'storage_used_ratio')).toBeCloseTo(newest.databaseBytes / CAPACITY, 12);
    for (const [timeframe, { rows, bytes }] of Object.entries(newest.timeframes)) {
      expect(sample(text, `market_data_rows{timeframe="${timeframe}"}`)).toBe(rows);
      expect(sample(text, `market_data_bytes{timeframe="${timeframe}"}`)).toBe(bytes);
    }
    // Nothing is compressed yet (TimescaleDB), or nothing can be (PostgreSQL).
    expect(sample(text, 'storage_compression_ratio')).toBeUndefined();
  });

  it('is read by another instance on the same database, which does not sample itself', async () => {
    const samples = 'SELECT count(*)::int AS value FROM storage_samples';
    const before = await scalar(t.database, samples);
    const second = await createTestApp(engine, { env, testDatabase: t.testDatabase });
    try {
      const read = await second.app.get(StorageMonitor).report();
      const [newest] = await t.database.query<{ at: Date }>('SELECT max(sampled_at) AS at FROM storage_samples');
      expect(read?.sampledAt).toBe(new Date(newest.at).toISOString());
      expect(read && rowsOf(read)).toEqual(await countsPerTimeframe(t.database));
      expect(await scalar(t.database, samples)).toBe(before);
    } finally {
      await second.close();
    }
  });

  if (engine === 'timescaledb') {
    it("reports compression as TimescaleDB's chunk_compression_stats do", async () => {
      await t.database.query(`SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('market_data') c`);
      const compressed = await monitor.sampleNow();
      const [stats] = await t.database.query<{ before: number; after: number; compressed: number; total: number }>(
        `SELECT sum(before_compression_total_bytes)::float8 AS before, sum(after_compression_total_bytes)::float8 AS after,
                count(*) FILTER (WHERE compression_status = 'Compressed')::int AS compressed, count(*)::int AS total
         FROM chunk_compression_stats('market_data')`,
      );
      expect(stats.total).toBeGreaterThan(1);
      expect(compressed.compression).toEqual({
        uncompressedBytes: stats.before,
        compressedBytes: stats.after,
        ratio: stats.before / stats.after,
        compressedChunks: stats.total,
        totalChunks: stats.total,
      });
      expect(rowsOf(compressed)).toEqual(await countsPerTimeframe(t.database));
      expect(compressed.marketData.bytes).toBe(await scalar(t.database, `SELECT hypertable_size('market_data')::float8 AS value`));
      const text = await t.app.get<Registry>(METRICS_REGISTRY).metrics();
      expect(sample(text, 'storage_compression_ratio')).toBeCloseTo(stats.before / stats.after, 12);
    });
  } else {
    it('has no compression on plain PostgreSQL', () => {
      expect(report.compression).toBeNull();
    });
  }

  it('measures growth from the oldest sample of the last 30 days to the newest', async () => {
    const [newest] = await t.database.query<{ at: Date; bytes: number }>(
      'SELECT sampled_at AS at, database_bytes::float8 AS bytes FROM storage_samples ORDER BY sampled_at DESC LIMIT 1',
    );
    const tenDaysBack = new Date(new Date(newest.at).getTime() - 10 * DAY_MS);
    const oldBytes = newest.bytes - 100 * 1024 ** 2;
    const insert = `INSERT INTO storage_samples (sampled_at, database_bytes, market_data_bytes, market_data_rows) VALUES ($1, $2, 0, 0)`;
    await t.database.query(insert, [tenDaysBack, oldBytes]);
    // Older than the window: left out, though it would make the growth far steeper.
    await t.database.query(insert, [new Date(tenDaysBack.getTime() - 25 * DAY_MS), 0]);

    const grown = await monitor.sampleNow();
    const spanDays = (Date.parse(grown.sampledAt) - tenDaysBack.getTime()) / DAY_MS;
    const bytesPerDay = (grown.databaseBytes - oldBytes) / spanDays;
    expect(grown.growth?.bytesPerDay).toBeCloseTo(bytesPerDay, 6);
    expect(grown.growth?.bytesPerMonth).toBeCloseTo(bytesPerDay * 30, 4);
    const headroom = (CAPACITY * THRESHOLD_PERCENT) / 100 - grown.databaseBytes;
    expect(grown.capacity.daysUntilThreshold).toBeCloseTo(headroom / bytesPerDay, 6);
  });
});

describe.each(ENGINES)('storage samples on %s, monitor off and capacity unknown', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { MONITOR_ENABLED: 'false' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('samples nothing on its own, and reports nothing before a sample', async () => {
    const monitor = t.app.get(StorageMonitor);
    expect(await monitor.report()).toBeUndefined();
    const text = await t.app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(sample(text, 'storage_database_bytes')).toBeUndefined();
    expect(await scalar(t.database, 'SELECT count(*)::int AS value FROM storage_samples')).toBe(0);
  });

  it('leaves capacity unknown for a server whose disk it cannot see, and its gauges out', async () => {
    const report = await t.app.get(StorageMonitor).sampleNow();
    expect(report.capacity).toEqual({ bytes: null, source: null, percentUsed: null, daysUntilThreshold: null, thresholdPercent: 80 });
    expect(report.timeframes).toEqual({});
    expect(report.compression).toEqual(
      engine === 'timescaledb' ? { uncompressedBytes: 0, compressedBytes: 0, ratio: null, compressedChunks: 0, totalChunks: 0 } : null,
    );
    const text = await t.app.get<Registry>(METRICS_REGISTRY).metrics();
    expect(sample(text, 'storage_database_bytes')).toBe(report.databaseBytes);
    expect(sample(text, 'storage_capacity_bytes')).toBeUndefined();
    expect(sample(text, 'storage_used_ratio')).toBeUndefined();
  });
});
