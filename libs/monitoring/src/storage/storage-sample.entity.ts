import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Per timeframe in a sample: native bars stored in market_data and their share of its bytes. */
export type TimeframeStorage = Record<string, { rows: number; bytes: number }>;

/** The storage_samples table (migration 1764000000400): one row per storage sample. */
@Entity({ name: 'storage_samples' })
@Check(`capacity_source IN ('setting', 'filesystem')`)
export class StorageSampleEntity {
  @PrimaryColumn({ name: 'sampled_at', type: 'timestamptz' })
  sampledAt!: Date;

  /** pg_database_size: everything the database holds. bigint: the driver hands it back as a string. */
  @Column({ name: 'database_bytes', type: 'bigint' })
  databaseBytes!: string;

  /** market_data with its indexes and TOAST (on TimescaleDB: every chunk, compressed or not). */
  @Column({ name: 'market_data_bytes', type: 'bigint' })
  marketDataBytes!: string;

  @Column({ name: 'market_data_rows', type: 'bigint' })
  marketDataRows!: string;

  /** TimescaleDB only: compressed chunks' bytes before and after compression. */
  @Column({ name: 'uncompressed_bytes', type: 'bigint', nullable: true })
  uncompressedBytes!: string | null;

  @Column({ name: 'compressed_bytes', type: 'bigint', nullable: true })
  compressedBytes!: string | null;

  /** TimescaleDB only: chunks of market_data, and how many of them are compressed. */
  @Column({ name: 'compressed_chunks', type: 'integer', nullable: true })
  compressedChunks!: number | null;

  @Column({ name: 'total_chunks', type: 'integer', nullable: true })
  totalChunks!: number | null;

  /** STORAGE_CAPACITY_BYTES, or the embedded engine's free space plus the database; null when unknown. */
  @Column({ name: 'capacity_bytes', type: 'bigint', nullable: true })
  capacityBytes!: string | null;

  @Column({ name: 'capacity_source', type: 'text', nullable: true })
  capacitySource!: 'setting' | 'filesystem' | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  timeframes!: TimeframeStorage;
}
