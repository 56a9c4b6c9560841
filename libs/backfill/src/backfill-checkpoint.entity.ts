import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { CHECKPOINT_STATES, type CheckpointState } from './backfill-checkpoint';

/**
 * The backfill_checkpoints table (migration 1764000000200), one row per (symbol, timeframe) job.
 * Describes the table for TypeORM; BackfillCheckpointRepository reads and writes it with
 * hand-written SQL, because the work is multirange arithmetic (`covered + tstzmultirange(...)`).
 * `covered` and `requested` are tstzmultirange columns (TypeORM knows the type but not its
 * values): a property holds the text form, e.g. `{["2024-01-02 00:00:00+00","2024-01-03 00:00:00+00")}`;
 * the repository turns them into TimeRange lists in SQL instead.
 */
@Entity({ name: 'backfill_checkpoints' })
@Check(`state IN (${CHECKPOINT_STATES.map((state) => `'${state}'`).join(', ')})`)
export class BackfillCheckpointEntity {
  @PrimaryColumn({ type: 'text' })
  symbol!: string;

  @PrimaryColumn({ type: 'text' })
  timeframe!: string;

  /** Ranges whose bars are fetched and final. */
  @Column({ type: 'tstzmultirange', default: () => `'{}'` })
  covered!: string;

  /** Ranges asked for by hand (POST .../backfill, the CLI). */
  @Column({ type: 'tstzmultirange', default: () => `'{}'` })
  requested!: string;

  /** Ranges a forced backfill reads again although covered (migration 1764000000300). */
  @Column({ type: 'tstzmultirange', default: () => `'{}'` })
  forced!: string;

  @Column({ type: 'text', default: 'pending' })
  state!: CheckpointState;

  @Column({ name: 'refreshed_at', type: 'timestamptz', nullable: true })
  refreshedAt!: Date | null;

  @Column({ name: 'next_run_at', type: 'timestamptz', nullable: true })
  nextRunAt!: Date | null;

  /** bigint: the driver hands it back as a string. */
  @Column({ type: 'bigint', default: 0 })
  bars!: string;

  @Column({ type: 'bigint', default: 0 })
  requests!: string;

  @Column({ type: 'integer', default: 0 })
  errors!: number;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'running_on', type: 'text', nullable: true })
  runningOn!: string | null;

  @Column({ name: 'last_started_at', type: 'timestamptz', nullable: true })
  lastStartedAt!: Date | null;

  @Column({ name: 'last_finished_at', type: 'timestamptz', nullable: true })
  lastFinishedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
