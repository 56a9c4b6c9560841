import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The alert_events table (migration 1764000000400): every firing and resolution, newest last,
 * and the outbox of the webhook: `notify` says one is owed, `notified_at` that it was delivered.
 */
@Entity({ name: 'alert_events' })
@Check(`status IN ('firing', 'resolved')`)
export class AlertEventEntity {
  /** bigserial: the driver hands it back as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'text' })
  alertname!: string;

  @Column({ type: 'jsonb' })
  labels!: Record<string, string>;

  @Column({ type: 'text' })
  status!: 'firing' | 'resolved';

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'double precision', nullable: true })
  value!: number | null;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'boolean' })
  notify!: boolean;

  @Column({ name: 'notified_at', type: 'timestamptz', nullable: true })
  notifiedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
