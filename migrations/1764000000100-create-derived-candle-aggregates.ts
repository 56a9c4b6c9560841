import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Continuous aggregates that derive 5m..1w candles from the stored 1m bars (TimescaleDB
 * only; on plain PostgreSQL the same candles are computed at query time, so nothing is
 * created). The SQL is frozen here on purpose: a migration must not follow later code.
 *
 * Shape of the hierarchy, and why:
 *   1m -> 5m -> 15m -> 30m -> 1h -> 4h   intraday buckets share the default origin, so each
 *                                        level rolls up the one below it
 *   1m -> 1d -> 1w                       day and week buckets are New York local time with a
 *                                        Sunday origin (provider convention); TimescaleDB 2.23
 *                                        refuses to stack a bucket with an origin (or offset)
 *                                        on one without, so 1d reads 1m directly
 *
 * Every view keeps the parts a rollup needs (first/last, sums rather than averages) and
 * three 1m-bar counts the completeness rule reads. Real-time aggregation is on, so the
 * newest, not yet materialised buckets are computed from the rows below on each read.
 */
const NEW_YORK = `'America/New_York'`;
/** A Sunday, midnight in New York: day and week buckets start here, as the provider's do. */
const SUNDAY_ORIGIN = `TIMESTAMPTZ '2000-01-02 00:00:00 America/New_York'`;

interface AggregateDefinition {
  view: string;
  /** time_bucket(...) over `source_time`, the column of the source that holds bar starts. */
  bucket: (sourceTime: string) => string;
  /** 'market_data' for 1m rows, else the view this one rolls up. */
  source: string;
  policy: { startOffset: string; endOffset: string; scheduleInterval: string };
}

const intraday = (width: string) => (t: string) => `time_bucket(INTERVAL '${width}', ${t})`;
const newYork = (width: string) => (t: string) => `time_bucket(INTERVAL '${width}', ${t}, ${NEW_YORK}, origin => ${SUNDAY_ORIGIN})`;

/** Parents before children. Policies end one bucket back: the open bucket is served in real time. */
const AGGREGATES: readonly AggregateDefinition[] = [
  {
    view: 'market_data_5m',
    bucket: intraday('5 minutes'),
    source: 'market_data',
    policy: { startOffset: '1 day', endOffset: '5 minutes', scheduleInterval: '5 minutes' },
  },
  {
    view: 'market_data_15m',
    bucket: intraday('15 minutes'),
    source: 'market_data_5m',
    policy: { startOffset: '1 day', endOffset: '15 minutes', scheduleInterval: '15 minutes' },
  },
  {
    view: 'market_data_30m',
    bucket: intraday('30 minutes'),
    source: 'market_data_15m',
    policy: { startOffset: '2 days', endOffset: '30 minutes', scheduleInterval: '30 minutes' },
  },
  {
    view: 'market_data_1h',
    bucket: intraday('1 hour'),
    source: 'market_data_30m',
    policy: { startOffset: '2 days', endOffset: '1 hour', scheduleInterval: '1 hour' },
  },
  {
    view: 'market_data_4h',
    bucket: intraday('4 hours'),
    source: 'market_data_1h',
    policy: { startOffset: '3 days', endOffset: '4 hours', scheduleInterval: '1 hour' },
  },
  {
    view: 'market_data_1d',
    bucket: newYork('1 day'),
    source: 'market_data',
    policy: { startOffset: '7 days', endOffset: '1 day', scheduleInterval: '1 hour' },
  },
  {
    view: 'market_data_1w',
    bucket: newYork('7 days'),
    source: 'market_data_1d',
    policy: { startOffset: '35 days', endOffset: '7 days', scheduleInterval: '1 day' },
  },
];

/** New York wall-clock time of a 1m bar, for the regular-session counts. */
const NY_CLOCK = `(time AT TIME ZONE ${NEW_YORK})::time`;

function fromMinuteBars(definition: AggregateDefinition): string {
  const bucket = definition.bucket('time');
  return `
    SELECT symbol,
           ${bucket} AS bucket,
           first(open, time) AS open,
           max(high) AS high,
           min(low) AS low,
           last(close, time) AS close,
           sum(volume) AS volume,
           sum(vwap * volume) FILTER (WHERE vwap IS NOT NULL) AS vwap_notional,
           sum(volume) FILTER (WHERE vwap IS NOT NULL) AS vwap_volume,
           sum(trades)::bigint AS trades,
           count(*) AS minute_bars,
           count(*) FILTER (WHERE ${NY_CLOCK} >= '09:30' AND ${NY_CLOCK} < '13:00') AS regular_morning_bars,
           count(*) FILTER (WHERE ${NY_CLOCK} >= '13:00' AND ${NY_CLOCK} < '16:00') AS regular_afternoon_bars
    FROM market_data
    WHERE timeframe = '1m'
    GROUP BY symbol, ${bucket}`;
}

function fromAggregate(definition: AggregateDefinition): string {
  const bucket = definition.bucket('bucket');
  // GROUP BY repeats the expression: a bare "bucket" would name the source column.
  return `
    SELECT symbol,
           ${bucket} AS bucket,
           first(open, bucket) AS open,
           max(high) AS high,
           min(low) AS low,
           last(close, bucket) AS close,
           sum(volume) AS volume,
           sum(vwap_notional) AS vwap_notional,
           sum(vwap_volume) AS vwap_volume,
           sum(trades)::bigint AS trades,
           sum(minute_bars)::bigint AS minute_bars,
           sum(regular_morning_bars)::bigint AS regular_morning_bars,
           sum(regular_afternoon_bars)::bigint AS regular_afternoon_bars
    FROM ${definition.source}
    GROUP BY symbol, ${bucket}`;
}

export class CreateDerivedCandleAggregates1764000000100 implements MigrationInterface {
  name = 'CreateDerivedCandleAggregates1764000000100';
  /** CREATE MATERIALIZED VIEW ... WITH (timescaledb.continuous) refuses to run inside a transaction block. */
  transaction = false;

  async up(runner: QueryRunner): Promise<void> {
    if (!(await hasTimescale(runner))) return;
    // Without a transaction a failure leaves earlier views behind: IF NOT EXISTS makes a rerun finish the job.
    for (const definition of AGGREGATES) {
      const select = definition.source === 'market_data' ? fromMinuteBars(definition) : fromAggregate(definition);
      // WITH NO DATA: creating must not block boot on a large table; real-time aggregation
      // answers from the rows below until a refresh (policy or refreshAfterWrite) materialises.
      await runner.query(`
        CREATE MATERIALIZED VIEW IF NOT EXISTS ${definition.view}
        WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
        ${select}
        WITH NO DATA`);
    }
    for (const { view, policy } of AGGREGATES) {
      await runner.query(
        `SELECT add_continuous_aggregate_policy('${view}',
           start_offset => INTERVAL '${policy.startOffset}',
           end_offset => INTERVAL '${policy.endOffset}',
           schedule_interval => INTERVAL '${policy.scheduleInterval}',
           if_not_exists => true)`,
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    if (!(await hasTimescale(runner))) return;
    // Dropping a continuous aggregate drops its policy too; children go before parents.
    for (const { view } of [...AGGREGATES].reverse()) await runner.query(`DROP MATERIALIZED VIEW IF EXISTS ${view}`);
  }
}

async function hasTimescale(runner: QueryRunner): Promise<boolean> {
  const rows = (await runner.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`)) as unknown[];
  return rows.length > 0;
}
