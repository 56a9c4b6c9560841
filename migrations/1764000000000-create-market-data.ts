import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * market_data: one row per bar, keyed (symbol, timeframe, time). With TimescaleDB
 * available it becomes a compressed hypertable; otherwise a plain table with a BRIN
 * index on time (bars arrive roughly in time order, so BRIN stays tiny).
 */
export class CreateMarketData1764000000000 implements MigrationInterface {
  name = 'CreateMarketData1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    // Loading the extension can fail when it is installed but not preloaded; that is
    // "no TimescaleDB", not a failed migration.
    await runner.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
          BEGIN
            CREATE EXTENSION IF NOT EXISTS timescaledb;
          EXCEPTION WHEN others THEN
            RAISE NOTICE 'timescaledb present but not loadable: %', SQLERRM;
          END;
        END IF;
      END $$`);
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
