import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The performance monitor's tables, shared by every instance (so history survives restarts):
 * - storage_samples: one row per storage sample (sizes, rows, compression, capacity).
 * - latency_slots: request and candle-read latency histograms per 10-second slot, per instance,
 *   so percentiles over 5 minutes and 1 hour cover every instance behind the load balancer.
 * - alert_states: alerts now pending or firing (one row per alert and labels).
 * - alert_events: every firing and resolution (the history), and the webhook owed for it.
 * - monitor_instances: each instance's heartbeat and what only it can see (its provider 429s).
 */
export class CreateMonitorTables1764000000400 implements MigrationInterface {
  name = 'CreateMonitorTables1764000000400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE storage_samples (
        sampled_at timestamptz PRIMARY KEY,
        database_bytes bigint NOT NULL,
        market_data_bytes bigint NOT NULL,
        market_data_rows bigint NOT NULL,
        uncompressed_bytes bigint,
        compressed_bytes bigint,
        compressed_chunks integer,
        total_chunks integer,
        capacity_bytes bigint,
        capacity_source text CHECK (capacity_source IN ('setting', 'filesystem')),
        timeframes jsonb NOT NULL DEFAULT '{}'
      )`);
    await runner.query(`
      CREATE TABLE latency_slots (
        slot_start timestamptz NOT NULL,
        instance text NOT NULL,
        series text NOT NULL CHECK (series IN ('route', 'timeframe')),
        key text NOT NULL,
        counts bigint[] NOT NULL,
        total_seconds double precision NOT NULL,
        PRIMARY KEY (slot_start, instance, series, key)
      )`);
    await runner.query(`
      CREATE TABLE alert_states (
        fingerprint text PRIMARY KEY,
        alertname text NOT NULL,
        labels jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'firing')),
        summary text NOT NULL,
        value double precision,
        active_since timestamptz NOT NULL,
        fired_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE alert_events (
        id bigserial PRIMARY KEY,
        fingerprint text NOT NULL,
        alertname text NOT NULL,
        labels jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('firing', 'resolved')),
        summary text NOT NULL,
        value double precision,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        notify boolean NOT NULL,
        notified_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text
      )`);
    await runner.query(`
      CREATE TABLE monitor_instances (
        instance text PRIMARY KEY,
        started_at timestamptz NOT NULL,
        seen_at timestamptz NOT NULL,
        rate_limited_total bigint NOT NULL DEFAULT 0,
        rate_limited_at timestamptz
      )`);
    await runner.query('CREATE INDEX alert_events_recent ON alert_events (created_at DESC)');
    await runner.query('CREATE INDEX alert_events_owed ON alert_events (next_attempt_at) WHERE notify AND notified_at IS NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['monitor_instances', 'alert_events', 'alert_states', 'latency_slots', 'storage_samples']) {
      await runner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
