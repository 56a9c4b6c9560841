import { DAY_MS, HOUR_MS } from '@app/core';
import type { CapacitySource } from './storage-capacity';
import type { StorageSample } from './storage-sample';
import type { TimeframeStorage } from './storage-sample.entity';

/** Growth is measured over at most this window back from the newest sample. */
export const GROWTH_WINDOW_MS = 30 * DAY_MS;
/** Below this span between two samples, a rate per day would mostly be noise (a vacuum, a compression run). */
export const MIN_GROWTH_SPAN_MS = HOUR_MS;
const MONTH_DAYS = 30;

/** The storage part of the performance report, from the newest sample in storage_samples (any instance's). */
export interface StorageReport {
  /** When the newest sample was taken (ISO, the database's clock). */
  sampledAt: string;
  /** pg_database_size: everything the database holds, derived-candle aggregates and monitor tables included. */
  databaseBytes: number;
  /** market_data with its indexes and TOAST; on TimescaleDB every chunk, compressed or not. */
  marketData: { bytes: number; rows: number };
  /**
   * Native bars per stored timeframe: rows are exact (count per timeframe); bytes are
   * market_data's bytes apportioned by row share, as one table holds every timeframe.
   */
  timeframes: TimeframeStorage;
  /** TimescaleDB's compression of market_data; null on plain PostgreSQL. */
  compression: CompressionReport | null;
  /** null with fewer than two samples, or two closer than MIN_GROWTH_SPAN_MS. */
  growth: GrowthReport | null;
  capacity: CapacityReport;
}

export interface CompressionReport {
  /** The compressed chunks' bytes before compression. */
  uncompressedBytes: number;
  /** The same chunks' bytes now. */
  compressedBytes: number;
  /** uncompressedBytes / compressedBytes; null while no chunk is compressed. */
  ratio: number | null;
  compressedChunks: number;
  totalChunks: number;
}

export interface GrowthReport {
  bytesPerDay: number;
  /** 30 days at bytesPerDay. */
  bytesPerMonth: number;
}

export interface CapacityReport {
  /** null when unknown: no STORAGE_CAPACITY_BYTES and a server whose disk this process cannot see. */
  bytes: number | null;
  source: CapacitySource | null;
  /** databaseBytes as a percentage of bytes (0..100, above 100 past capacity). */
  percentUsed: number | null;
  /** Days until databaseBytes reaches thresholdPercent of capacity at the current growth: 0 once there, null when not growing or unknown. */
  daysUntilThreshold: number | null;
  /** ALERT_STORAGE_PERCENT. */
  thresholdPercent: number;
}

/** What the report needs besides the samples. */
export interface StorageReportContext {
  thresholdPercent: number;
}

/** `oldest`: the oldest sample within GROWTH_WINDOW_MS of `newest` (the same one when it is the only one). */
export function buildStorageReport(newest: StorageSample, oldest: StorageSample, context: StorageReportContext): StorageReport {
  const growth = growthBetween(oldest, newest);
  const capacityBytes = newest.capacityBytes;
  return {
    sampledAt: newest.sampledAt.toISOString(),
    databaseBytes: newest.databaseBytes,
    marketData: { bytes: newest.marketDataBytes, rows: newest.marketDataRows },
    timeframes: newest.timeframes,
    compression: newest.compression && {
      ...newest.compression,
      ratio: compressionRatio(newest.compression.uncompressedBytes, newest.compression.compressedBytes),
    },
    growth,
    capacity: {
      bytes: capacityBytes,
      source: newest.capacitySource,
      percentUsed: capacityBytes === null ? null : percentUsed(newest.databaseBytes, capacityBytes),
      daysUntilThreshold:
        capacityBytes === null ? null : daysUntilThreshold(newest.databaseBytes, capacityBytes, context.thresholdPercent, growth),
      thresholdPercent: context.thresholdPercent,
    },
  };
}

/**
 * Linear growth of the database from `oldest` to `newest`: their difference in
 * pg_database_size over the time between them. Negative after a compression run or a
 * retention drop; null when the two are closer than MIN_GROWTH_SPAN_MS.
 */
export function growthBetween(
  oldest: Pick<StorageSample, 'sampledAt' | 'databaseBytes'>,
  newest: Pick<StorageSample, 'sampledAt' | 'databaseBytes'>,
): GrowthReport | null {
  const spanMs = newest.sampledAt.getTime() - oldest.sampledAt.getTime();
  if (spanMs < MIN_GROWTH_SPAN_MS) return null;
  const bytesPerDay = ((newest.databaseBytes - oldest.databaseBytes) / spanMs) * DAY_MS;
  return { bytesPerDay, bytesPerMonth: bytesPerDay * MONTH_DAYS };
}

export function percentUsed(databaseBytes: number, capacityBytes: number): number {
  return (databaseBytes / capacityBytes) * 100;
}

export function daysUntilThreshold(
  databaseBytes: number,
  capacityBytes: number,
  thresholdPercent: number,
  growth: GrowthReport | null,
): number | null {
  const headroom = (capacityBytes * thresholdPercent) / 100 - databaseBytes;
  if (headroom <= 0) return 0;
  if (!growth || growth.bytesPerDay <= 0) return null;
  return headroom / growth.bytesPerDay;
}

export function compressionRatio(uncompressedBytes: number, compressedBytes: number): number | null {
  return compressedBytes > 0 ? uncompressedBytes / compressedBytes : null;
}
