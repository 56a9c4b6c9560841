import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'tracked_symbols' })
export class TrackedSymbolEntity {
  @PrimaryColumn({ type: 'text' })
  symbol!: string;

  @Column({ type: 'text', array: true })
  timeframes!: string[];

  /** NULL: the symbol follows ENRICHMENT_DEFAULT_INDICATORS. */
  @Column({ type: 'text', array: true, nullable: true })
  indicators!: string[] | null;

  @Column({ name: 'asset_class', type: 'text' })
  assetClass!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
