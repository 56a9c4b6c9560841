import type { CapacitySource } from './storage-capacity';
import type { TimeframeStorage } from './storage-sample.entity';

/** One row of storage_samples as numbers (bytes and rows fit in 2^53). */
export interface StorageSample {
  /** The database's clock when measuring began, so every instance's samples share one clock. */
  sampledAt: Date;
  databaseBytes: number;
  marketDataBytes: number;
  marketDataRows: number;
  /** Compressed chunks' bytes before and after compression, and the chunk counts; null on plain PostgreSQL. */
  compression: { uncompressedBytes: number; compressedBytes: number; compressedChunks: number; totalChunks: number } | null;
  capacityBytes: number | null;
  capacitySource: CapacitySource | null;
  timeframes: TimeframeStorage;
}
