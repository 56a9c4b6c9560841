import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The market_data hypertable (see migrations/). Describes the table for TypeORM; the
 * hot paths in CandleRepository use hand-written bulk SQL instead of save().
 */
@Entity({ name: 'market_data' })
export class MarketDataEntity {
  @PrimaryColumn({ type: 'text' })
  symbol!: string;

  @PrimaryColumn({ type: 'text' })
  timeframe!: string;

  @PrimaryColumn({ type: 'timestamptz' })
  time!: Date;

  @Column({ type: 'double precision' })
  open!: number;

  @Column({ type: 'double precision' })
  high!: number;

  @Column({ type: 'double precision' })
  low!: number;

  @Column({ type: 'double precision' })
  close!: number;

  @Column({ type: 'double precision' })
  volume!: number;

  @Column({ type: 'double precision', nullable: true })
  vwap!: number | null;

  @Column({ type: 'bigint', nullable: true })
  trades!: string | null;
}
