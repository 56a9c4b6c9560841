import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The alert_states table (migration 1764000000400): an alert that is pending or firing now. */
@Entity({ name: 'alert_states' })
@Check(`state IN ('pending', 'firing')`)
export class AlertStateEntity {
  /** alertname and labels, hashed: the same alert on every instance and evaluation. */
  @PrimaryColumn({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'text' })
  alertname!: string;

  @Column({ type: 'jsonb' })
  labels!: Record<string, string>;

  @Column({ type: 'text' })
  state!: 'pending' | 'firing';

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'double precision', nullable: true })
  value!: number | null;

  /** When the condition was first seen (pending since). */
  @Column({ name: 'active_since', type: 'timestamptz' })
  activeSince!: Date;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
