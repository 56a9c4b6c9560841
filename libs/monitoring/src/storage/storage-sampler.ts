import type { DatabaseService } from '@app/database';
import type { TimeframeStorage } from './storage-sample.entity';
import type { StorageSample } from './storage-sample';

/** What the database says about its own size; the capacity is found elsewhere (StorageCapacity). */
export type StorageMeasurement = Omit<StorageSample, 'capacityBytes' | 'capacitySource'>;

/**
 * The SQL of one storage sample. Sizes come from PostgreSQL's and TimescaleDB's own size
 * functions; rows are an exact count per timeframe. The statements are not one snapshot:
 * a write between them moves the figures by that write, which a 15-minute sample can bear.
 */
export class StorageSampler {
  constructor(private readonly database: DatabaseService) {}

  async measure(): Promise<StorageMeasurement> {
    const [database] = await this.database.query<{ sampled_at_ms: number; database_bytes: number }>(
      `SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::float8 AS sampled_at_ms,
              pg_database_size(current_database())::float8 AS database_bytes`,
    );
    const timescale = this.database.hasTimescale;
    const marketDataBytes = await this.marketDataBytes(timescale);
    const counts = await this.database.query<{ timeframe: string; rows: number }>(
      'SELECT timeframe, count(*)::float8 AS rows FROM market_data GROUP BY timeframe ORDER BY timeframe',
    );
    const marketDataRows = counts.reduce((sum, { rows }) => sum + rows, 0);
    return {
      sampledAt: new Date(database.sampled_at_ms),
      databaseBytes: database.database_bytes,
      marketDataBytes,
      marketDataRows,
      compression: timescale ? await this.compression() : null,
      timeframes: apportion(counts, marketDataBytes, marketDataRows),
    };
  }

  /** Heap, indexes and TOAST; on TimescaleDB every chunk of the hypertable, compressed or not. */
  private async marketDataBytes(timescale: boolean): Promise<number> {
    const size = timescale ? `hypertable_size('market_data')` : `pg_total_relation_size('market_data')`;
    const [row] = await this.database.query<{ bytes: number | null }>(`SELECT ${size}::float8 AS bytes`);
    return row.bytes ?? 0;
  }

  /** TimescaleDB answers no row, or null sums, while no chunk is compressed: zeros then. */
  private async compression(): Promise<NonNullable<StorageMeasurement['compression']>> {
    const [stats] = await this.database.query<Record<'total' | 'compressed' | 'before' | 'after', number | null>>(
      `SELECT total_chunks::float8 AS total, number_compressed_chunks::float8 AS compressed,
              before_compression_total_bytes::float8 AS before, after_compression_total_bytes::float8 AS after
       FROM hypertable_compression_stats('market_data')`,
    );
    return {
      totalChunks: stats?.total ?? 0,
      compressedChunks: stats?.compressed ?? 0,
      uncompressedBytes: stats?.before ?? 0,
      compressedBytes: stats?.after ?? 0,
    };
  }
}

/** market_data holds every native timeframe in one table: each gets the bytes of its share of the rows. */
function apportion(counts: { timeframe: string; rows: number }[], bytes: number, totalRows: number): TimeframeStorage {
  return Object.fromEntries(counts.map(({ timeframe, rows }) => [timeframe, { rows, bytes: Math.round((bytes * rows) / totalRows) }]));
}
