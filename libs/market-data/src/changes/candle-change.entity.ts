import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The candle_changes table (migration 1764000000500): the earliest changed bar of a series not yet enriched. */
@Entity({ name: 'candle_changes' })
export class CandleChangeEntity {
  @PrimaryColumn({ type: 'text' })
  symbol!: string;

  @PrimaryColumn({ type: 'text' })
  timeframe!: string;

  @Column({ name: 'changed_from', type: 'timestamptz' })
  changedFrom!: Date;

  /** From the candle_changes_revision sequence: moves with every write, so a reader clears only what it saw. */
  @Column({ type: 'bigint' })
  revision!: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}
