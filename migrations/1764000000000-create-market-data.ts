import { MigrationInterface, QueryRunner } from 'typeorm';
import { decideTimescale, probeTimescale } from '@app/database';

/**
 * market_data: one row per bar, keyed (symbol, timeframe, time). With TimescaleDB
 * available it becomes a compressed hypertable; otherwise a plain table with a BRIN
 * index on time (bars arrive roughly in time order, so BRIN stays tiny).
 */
export class CreateMarketData1764000000000 implements MigrationInterface {
  name = 'CreateMarketData1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    // Ask before trying. With timescaledb installed but not in shared_preload_libraries,
    // CREATE EXTENSION is FATAL: the server ends the session, the handler below never runs
    // and every retry of the migration dies the same way. This guard was added after the
    // fact; it asks the same decision DatabaseService reports in /health, so the migration
    // and the status cannot disagree, and a server it lets through behaves as before.
    // The handler still turns an ordinary error (say, permission denied) into "no TimescaleDB".
    if (decideTimescale(await probeTimescale((sql) => runner.query(sql))).use) {
      await runner.query(`
        DO $$ BEGIN
          CREATE EXTENSION IF NOT EXISTS timescaledb;
        EXCEPTION WHEN others THEN
          RAISE NOTICE 'timescaledb present but not loadable: %', SQLERRM;
        END $$`);
    }
    await runner.query(`
      CREATE TABLE market_data (
        time      timestamptz      NOT NULL,
        symbol    text             NOT NULL,
        timeframe text             NOT NULL,
        open      double precision NOT NULL,
        high      double precision NOT NULL,
        low       double precision NOT NULL,
        close     double precision NOT NULL,
        volume    double precision NOT NULL,
        vwap      double precision,
        trades    bigint,
        PRIMARY KEY (symbol, timeframe, time)
      )`);
    await runner.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
          PERFORM create_hypertable('market_data', 'time', chunk_time_interval => interval '7 days');
          ALTER TABLE market_data SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'symbol, timeframe',
            timescaledb.compress_orderby = 'time'
          );
          PERFORM add_compression_policy('market_data', compress_after => interval '14 days');
        ELSE
          CREATE INDEX market_data_time_brin ON market_data USING brin (time);
        END IF;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS market_data');
  }
}
