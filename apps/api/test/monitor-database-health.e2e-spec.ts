import request from 'supertest';
import { HOUR_MS, sleep } from '@app/core';
import { CandleRepository } from '@app/market-data';
import { type DatabaseHealthReport, DatabaseHealthReporter } from '@app/monitoring';
import { ENGINES, type TestApp, openTestDatabase, relayedDatabase } from '@app/testing';
import { barsAt, sessionMinutes } from './candles-fixtures';
import { metricSample as sample } from './support/metric-sample';
import { createTestApp } from './support/test-app';

const SYMBOL = 'AAPL';
/** Two extended sessions a week apart: two chunks on TimescaleDB (7-day chunks). */
const FIRST_SESSION = Date.UTC(2024, 0, 2, 9);
const SECOND_SESSION = Date.UTC(2024, 0, 9, 9);
const candles = (start: number) => `/api/v1/asset/${SYMBOL}/candles?timeframe=1m&start=${start}&end=${start + HOUR_MS}`;

/** What the test reads itself: the primary key summed over its copies (TimescaleDB names a chunk's `<chunk id>_<n>_market_data_pkey`). */
interface OwnReading {
  pkeyScans: number;
  pkeyBytes: number;
  blocksHit: number;
  blocksRead: number;
}

async function ownReading(t: TestApp): Promise<OwnReading> {
  const [pkey] = await t.database.query<{ scans: number; bytes: number }>(
    `SELECT coalesce(sum(idx_scan), 0)::float8 AS scans, coalesce(sum(pg_relation_size(indexrelid)), 0)::float8 AS bytes
     FROM pg_stat_user_indexes WHERE indexrelname = 'market_data_pkey' OR indexrelname ~ '^[0-9]+_[0-9]+_market_data_pkey$'`,
  );
  const [blocks] = await t.database.query<{ hit: number; read: number }>(
    'SELECT blks_hit::float8 AS hit, blks_read::float8 AS read FROM pg_stat_database WHERE datname = current_database()',
  );
  return { pkeyScans: pkey.scans, pkeyBytes: pkey.bytes, blocksHit: blocks.hit, blocksRead: blocks.read };
}

const hitRatioOf = ({ blocksHit, blocksRead }: OwnReading): number | null =>
  blocksHit + blocksRead === 0 ? null : blocksHit / (blocksHit + blocksRead);

/**
 * Reads `value` between two readings of the test's own that agree: the statistics held still
 * meanwhile. PostgreSQL publishes a session's counters when it goes idle, at most once a second
 * (else 10 s later), so any reading may lag; pg_stat_force_next_flush (PostgreSQL 15+) publishes
 * the pending counters of the session that calls it.
 */
async function whileStatisticsHoldStill<T>(t: TestApp, value: () => Promise<T>): Promise<{ own: OwnReading; value: T }> {
  const [{ canFlush }] = await t.database.query<{ canFlush: boolean }>(
    `SELECT current_setting('server_version_num')::int >= 150000 AS "canFlush"`,
  );
  for (let attempt = 1; attempt <= 60; attempt++) {
    if (canFlush) await t.database.query('SELECT pg_stat_force_next_flush()');
    const before = await ownReading(t);
    const read = await value();
    const after = await ownReading(t);
    if (JSON.stringify(before) === JSON.stringify(after)) return { own: before, value: read };
    await sleep(250);
  }
  throw new Error('the statistics never held still across a reading');
}

/** Until the primary key's scans by the candle reads are published (never on PGlite, which does not publish). */
async function untilPkeyScansPublished(t: TestApp): Promise<void> {
  for (let attempt = 1; (await ownReading(t)).pkeyScans === 0; attempt++) {
    if (attempt > 60) throw new Error('no scan of market_data_pkey was ever published');
    await t.database.query('SELECT pg_stat_force_next_flush()');
    await sleep(250);
  }
}

describe.each(ENGINES)('database health on %s', (engine) => {
  let t: TestApp;
  let reporter: DatabaseHealthReporter;
  const pkeyOf = (report: DatabaseHealthReport) => report.indexes.find((index) => index.name === 'market_data_pkey');

  beforeAll(async () => {
    t = await createTestApp(engine);
    reporter = t.app.get(DatabaseHealthReporter);
    const bars = [FIRST_SESSION, SECOND_SESSION].flatMap((day, i) => barsAt(SYMBOL, '1m', sessionMinutes(day, 960), i + 1));
    await t.app.get(CandleRepository).upsertMany(bars);
    if (engine === 'timescaledb') {
      await t.database.query(`SELECT compress_chunk(c) FROM show_chunks('market_data', older_than => '2024-01-08'::timestamptz) AS c`);
    }
    await t.database.execute('ANALYZE market_data');
    for (let hour = 0; hour < 3; hour++) {
      await request(t.server)
        .get(candles(FIRST_SESSION + hour * HOUR_MS))
        .expect(200);
      await request(t.server)
        .get(candles(SECOND_SESSION + hour * HOUR_MS))
        .expect(200);
    }
    if (engine === 'postgresql') await untilPkeyScansPublished(t);
  });

  afterAll(() => t.close());

  it("names market_data's own indexes, never a chunk's copy", async () => {
    const names = (await reporter.report()).indexes.map((index) => index.name);
    expect(names).toEqual(
      engine === 'timescaledb'
        ? ['compressed_chunks', 'market_data_pkey', 'market_data_time_idx']
        : ['market_data_pkey', 'market_data_time_brin'],
    );
  });

  it('reports scans and bytes of market_data_pkey as pg_stat_user_indexes counts them over every copy', async () => {
    const { own, value: report } = await whileStatisticsHoldStill(t, () => reporter.report());
    expect(pkeyOf(report)).toMatchObject({ scans: own.pkeyScans, bytes: own.pkeyBytes });
    expect(own.pkeyBytes).toBeGreaterThan(0);
    // PGlite (the timescaledb engine here) never publishes its counters: every scan reads 0 there.
    if (engine === 'postgresql') expect(own.pkeyScans).toBeGreaterThan(0);
    else expect(own.pkeyScans).toBe(0);
    // pg_stat_user_tables counts a table's index scans as the sum over its indexes.
    expect(report.marketDataScans.index).toBe(report.indexes.reduce((sum, index) => sum + index.scans, 0));
  });

  it("reports the buffer cache hit ratio as pg_stat_database's blocks give it", async () => {
    const { own, value: report } = await whileStatisticsHoldStill(t, () => reporter.report());
    const ratio = hitRatioOf(own);
    if (ratio === null) {
      expect(engine).toBe('timescaledb'); // nothing published: no block asked for, as far as the statistics know
      expect(report.bufferCacheHitRatio).toBeNull();
    } else {
      expect(report.bufferCacheHitRatio).toBeCloseTo(ratio, 12);
      expect(ratio).toBeGreaterThanOrEqual(0);
      expect(ratio).toBeLessThanOrEqual(1);
    }
  });

  it('exports the same figures in /metrics, labelled by index name only, and database_up 1', async () => {
    const { own, value: text } = await whileStatisticsHoldStill(t, async () => (await request(t.server).get('/metrics').expect(200)).text);
    expect(sample(text, 'db_index_scans{index="market_data_pkey"}')).toBe(own.pkeyScans);
    const ratio = hitRatioOf(own);
    if (ratio === null) expect(sample(text, 'db_buffer_cache_hit_ratio')).toBeUndefined();
    else expect(sample(text, 'db_buffer_cache_hit_ratio')).toBeCloseTo(ratio, 12);
    const indexLabels = text.split('\n').filter((line) => line.startsWith('db_index_scans{'));
    expect(indexLabels.length).toBeGreaterThan(0);
    expect(indexLabels.every((line) => /^db_index_scans\{index="(market_data_\w+|compressed_chunks)"\} /.test(line))).toBe(true);
    expect(sample(text, 'database_up')).toBe(1);
  });
});

describe('database_up when the database goes away', () => {
  it('reads 0 while the database is unreachable, the scrape still answering, and 1 once it is back', async () => {
    const testDatabase = await openTestDatabase('postgresql');
    const relayed = await relayedDatabase(testDatabase);
    const t = await createTestApp('postgresql', { testDatabase: relayed.testDatabase });
    const scrape = async () => (await request(t.server).get('/metrics').expect(200)).text;
    try {
      expect(sample(await scrape(), 'database_up')).toBe(1);

      await relayed.cut();
      const down = await scrape();
      expect(sample(down, 'database_up')).toBe(0);
      expect(sample(down, 'db_buffer_cache_hit_ratio')).toBeUndefined();
      expect(down).not.toMatch(/^db_index_scans\{/m);

      await relayed.restore();
      expect(sample(await scrape(), 'database_up')).toBe(1);
    } finally {
      await t.close();
      await relayed.cut();
      await testDatabase.dispose();
    }
  });
});
