import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The latency_slots table (migration 1764000000400): one instance's latency histogram of one
 * route (`GET /api/v1/asset/:symbol/candles`) or candle-read timeframe (`1m`) over one
 * 10-second slot. `counts` are per bucket, not cumulative, in REQUEST_BUCKETS order plus +Inf.
 */
@Entity({ name: 'latency_slots' })
@Check(`series IN ('route', 'timeframe')`)
export class LatencySlotEntity {
  @PrimaryColumn({ name: 'slot_start', type: 'timestamptz' })
  slotStart!: Date;

  @PrimaryColumn({ type: 'text' })
  instance!: string;

  @PrimaryColumn({ type: 'text' })
  series!: 'route' | 'timeframe';

  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** bigint[]: the driver hands the items back as strings. */
  @Column({ type: 'bigint', array: true })
  counts!: string[];

  @Column({ name: 'total_seconds', type: 'double precision' })
  totalSeconds!: number;
}
