import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The enrichment_series table (migration 1764000000500): how far one indicator of one series is computed. */
@Entity({ name: 'enrichment_series' })
@Check(`source IN ('native', 'derived')`)
export class EnrichmentSeriesEntity {
  @PrimaryColumn({ type: 'text' })
  symbol!: string;

  @PrimaryColumn({ type: 'text' })
  timeframe!: string;

  @PrimaryColumn({ type: 'text' })
  indicator!: string;

  /** The bars the values were computed over, as /candles names its sources. */
  @Column({ type: 'text', nullable: true })
  source!: 'native' | 'derived' | null;

  /** Time of the newest bar the stored values cover. */
  @Column({ name: 'computed_through', type: 'timestamptz', nullable: true })
  computedThrough!: Date | null;

  @Column({ type: 'bigint', default: 0 })
  runs!: string;

  @Column({ name: 'blocks_written', type: 'bigint', default: 0 })
  blocksWritten!: string;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt!: Date | null;

  @Column({ name: 'last_duration_ms', type: 'double precision', nullable: true })
  lastDurationMs!: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt!: Date | null;
}
