import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The monitor_instances table (migration 1764000000400): each instance's heartbeat and the
 * provider 429s only it saw, so the instance evaluating alerts sees every instance's.
 */
@Entity({ name: 'monitor_instances' })
export class MonitorInstanceEntity {
  @PrimaryColumn({ type: 'text' })
  instance!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'seen_at', type: 'timestamptz' })
  seenAt!: Date;

  /** bigint: the driver hands it back as a string. */
  @Column({ name: 'rate_limited_total', type: 'bigint', default: 0 })
  rateLimitedTotal!: string;

  /** When this instance last saw its 429 count grow. */
  @Column({ name: 'rate_limited_at', type: 'timestamptz', nullable: true })
  rateLimitedAt!: Date | null;
}
