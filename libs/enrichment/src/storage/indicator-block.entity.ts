import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The indicator_blocks table (migration 1764000000500): one indicator's values over one block of time. */
@Entity({ name: 'indicator_blocks' })
export class IndicatorBlockEntity {
  @PrimaryColumn({ type: 'text' })
  symbol!: string;

  @PrimaryColumn({ type: 'text' })
  timeframe!: string;

  /** Canonical key, e.g. `macd:12:26:9`. */
  @PrimaryColumn({ type: 'text' })
  indicator!: string;

  @PrimaryColumn({ name: 'block_start', type: 'timestamptz' })
  blockStart!: Date;

  /** How many bars the block holds. */
  @Column({ type: 'integer' })
  bars!: number;

  /** Bar times, Unix ms, ascending: `bars` little-endian float64s. */
  @Column({ type: 'bytea' })
  times!: Buffer;

  /** Output after output (the catalogue's order), `bars` little-endian float64s each; NaN before the warm-up is met. */
  @Column({ type: 'bytea' })
  outputs!: Buffer;

  /** The indicator's state after the block's last bar (RunningIndicator's JSON). */
  @Column({ type: 'jsonb' })
  state!: unknown;
}
