import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enrichment's storage and the change log that drives it:
 * - tracked_symbols.indicators: a symbol's own indicator list; NULL follows ENRICHMENT_DEFAULT_INDICATORS.
 * - candle_changes: per series (symbol, timeframe), the earliest bar changed since enrichment last
 *   caught up, written in the same transaction as the bars; `revision` tells a job whether another
 *   write came in while it ran (it clears only the revision it saw).
 * - indicator_blocks: an indicator's values over one block of time (1,440 bar durations: a day of
 *   1m, 60 days of 1h) and the indicator's state after the block's last bar, from which a
 *   recomputation resumes. `times` holds the `bars` bar times (Unix ms) and `outputs` the values
 *   output after output (the catalogue's order, NaN where none yet), both as little-endian float64:
 *   one row per block rather than per value (a year of 1m is 300 rows per indicator instead of
 *   242,000), and bytes rather than float8[] (10x cheaper to send and parse), so writes and reads
 *   cost a fraction.
 *   A compressed hypertable on TimescaleDB, a plain table with BRIN on block_start otherwise.
 * - enrichment_series: per series and indicator, how far values are computed, from which source,
 *   and the last run's outcome (GET /api/v1/enrichment/jobs).
 */
export class CreateEnrichmentTables1764000000500 implements MigrationInterface {
  name = 'CreateEnrichmentTables1764000000500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE tracked_symbols ADD COLUMN indicators text[]');
    await runner.query('CREATE SEQUENCE candle_changes_revision');
    await runner.query(`
      CREATE TABLE candle_changes (
        symbol text NOT NULL,
        timeframe text NOT NULL,
        changed_from timestamptz NOT NULL,
        revision bigint NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (symbol, timeframe)
      )`);
    await runner.query(`
      CREATE TABLE indicator_blocks (
        symbol text NOT NULL,
        timeframe text NOT NULL,
        indicator text NOT NULL,
        block_start timestamptz NOT NULL,
        bars integer NOT NULL,
        times bytea NOT NULL,
        outputs bytea NOT NULL,
        state jsonb NOT NULL,
        PRIMARY KEY (symbol, timeframe, indicator, block_start)
      )`);
    // float64 bytes barely compress: spare every write the attempt (TimescaleDB compresses chunks its own way).
    await runner.query('ALTER TABLE indicator_blocks ALTER COLUMN times SET STORAGE EXTERNAL, ALTER COLUMN outputs SET STORAGE EXTERNAL');
    await runner.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
          PERFORM create_hypertable('indicator_blocks', 'block_start', chunk_time_interval => interval '30 days');
          ALTER TABLE indicator_blocks SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'symbol, timeframe, indicator',
            timescaledb.compress_orderby = 'block_start'
          );
          PERFORM add_compression_policy('indicator_blocks', compress_after => interval '60 days');
        ELSE
          CREATE INDEX indicator_blocks_start_brin ON indicator_blocks USING brin (block_start);
        END IF;
      END $$`);
    await runner.query(`
      CREATE TABLE enrichment_series (
        symbol text NOT NULL,
        timeframe text NOT NULL,
        indicator text NOT NULL,
        source text CHECK (source IN ('native', 'derived')),
        computed_through timestamptz,
        runs bigint NOT NULL DEFAULT 0,
        blocks_written bigint NOT NULL DEFAULT 0,
        last_run_at timestamptz,
        last_duration_ms double precision,
        last_error text,
        last_error_at timestamptz,
        PRIMARY KEY (symbol, timeframe, indicator)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS enrichment_series');
    await runner.query('DROP TABLE IF EXISTS indicator_blocks');
    await runner.query('DROP TABLE IF EXISTS candle_changes');
    await runner.query('DROP SEQUENCE IF EXISTS candle_changes_revision');
    await runner.query('ALTER TABLE tracked_symbols DROP COLUMN IF EXISTS indicators');
  }
}
