import { Injectable } from '@nestjs/common';
import { DatabaseService } from '@app/database';
import type { LatencySeries, LatencySlotRow } from './latency-slot-recorder';

/** One key's histogram summed over a window: counts per bucket (+Inf last) and the sum of seconds. */
export interface LatencySums {
  key: string;
  counts: number[];
  totalSeconds: number;
}

/** latency_slots: every instance's 10-second latency histograms. */
@Injectable()
export class LatencySlotRepository {
  constructor(private readonly database: DatabaseService) {}

  /** Writes `rows` as absolute values in one statement: writing the same values again changes nothing. */
  async upsert(instance: string, rows: readonly LatencySlotRow[]): Promise<void> {
    await this.database.execute(
      `INSERT INTO latency_slots (slot_start, instance, series, key, counts, total_seconds)
       SELECT to_timestamp(r.start_ms / 1000), $1::text, r.series, r.key, r.counts::bigint[], r.total_seconds
       FROM unnest($2::float8[], $3::text[], $4::text[], $5::text[], $6::float8[]) AS r(start_ms, series, key, counts, total_seconds)
       ON CONFLICT (slot_start, instance, series, key) DO UPDATE SET counts = EXCLUDED.counts, total_seconds = EXCLUDED.total_seconds`,
      [
        instance,
        rows.map((r) => r.slotStart),
        rows.map((r) => r.series),
        rows.map((r) => r.key),
        // One bigint[] per row: a text[] of array literals, since unnest would flatten a 2-D array.
        rows.map((r) => `{${r.counts.join(',')}}`),
        rows.map((r) => r.totalSeconds),
      ],
    );
  }

  /**
   * Every instance's histograms of `series` with slot_start in [from, to], summed per key. Rows
   * with another number of buckets (an instance running other bucket edges) are left out.
   */
  async sums(series: LatencySeries, from: number, to: number, buckets: number): Promise<LatencySums[]> {
    const rows = await this.database.query<{ key: string; counts: (number | string)[]; total_seconds: number | string }>(
      `WITH recent AS (
         SELECT key, counts, total_seconds FROM latency_slots
         WHERE series = $1 AND slot_start >= to_timestamp($2::float8 / 1000) AND slot_start <= to_timestamp($3::float8 / 1000)
           AND cardinality(counts) = $4
       ),
       per_bucket AS (
         SELECT recent.key, bucket.i, sum(bucket.n) AS n
         FROM recent CROSS JOIN LATERAL unnest(recent.counts) WITH ORDINALITY AS bucket(n, i)
         GROUP BY recent.key, bucket.i
       ),
       seconds AS (SELECT key, sum(total_seconds) AS total_seconds FROM recent GROUP BY key)
       SELECT per_bucket.key, array_agg(per_bucket.n::float8 ORDER BY per_bucket.i) AS counts, seconds.total_seconds
       FROM per_bucket JOIN seconds USING (key)
       GROUP BY per_bucket.key, seconds.total_seconds
       ORDER BY per_bucket.key`,
      [series, from, to, buckets],
    );
    return rows.map((r) => ({ key: r.key, counts: r.counts.map(Number), totalSeconds: Number(r.total_seconds) }));
  }

  /** Deletes every instance's slots older than `before`; returns how many. */
  deleteBefore(before: number): Promise<number> {
    return this.database.execute('DELETE FROM latency_slots WHERE slot_start < to_timestamp($1::float8 / 1000)', [before]);
  }
}
