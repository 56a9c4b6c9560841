import { DAY_MS, HOUR_MS } from '@app/core';
import { buildStorageReport, compressionRatio, daysUntilThreshold, growthBetween, percentUsed } from './storage-report';
import type { StorageSample } from './storage-sample';

const T0 = Date.UTC(2025, 0, 1);
const GB = 1024 ** 3;

function sample(atMs: number, databaseBytes: number, overrides: Partial<StorageSample> = {}): StorageSample {
  return {
    sampledAt: new Date(atMs),
    databaseBytes,
    marketDataBytes: databaseBytes / 2,
    marketDataRows: 1000,
    compression: null,
    capacityBytes: null,
    capacitySource: null,
    timeframes: { '1m': { rows: 1000, bytes: databaseBytes / 2 } },
    ...overrides,
  };
}

describe('growthBetween', () => {
  it('is the linear rate from the older sample to the newer, per day and per 30 days', () => {
    const growth = growthBetween(sample(T0, 10 * GB), sample(T0 + 4 * DAY_MS, 12 * GB));
    expect(growth).toEqual({ bytesPerDay: 0.5 * GB, bytesPerMonth: 15 * GB });
  });

  it('scales a span shorter than a day up to a day', () => {
    expect(growthBetween(sample(T0, 0), sample(T0 + 6 * HOUR_MS, 100))?.bytesPerDay).toBe(400);
  });

  it('is negative when the database shrank (compression, retention)', () => {
    expect(growthBetween(sample(T0, 2 * GB), sample(T0 + DAY_MS, GB))?.bytesPerDay).toBe(-GB);
  });

  it('is unknown from one sample, or two less than an hour apart', () => {
    expect(growthBetween(sample(T0, GB), sample(T0, GB))).toBeNull();
    expect(growthBetween(sample(T0, GB), sample(T0 + HOUR_MS - 1, 2 * GB))).toBeNull();
    expect(growthBetween(sample(T0, GB), sample(T0 + HOUR_MS, 2 * GB))).not.toBeNull();
  });
});

describe('percentUsed', () => {
  it('is the database as a percentage of the capacity', () => {
    expect(percentUsed(25, 200)).toBe(12.5);
    expect(percentUsed(300, 200)).toBe(150);
  });
});

describe('daysUntilThreshold', () => {
  const perDay = (bytesPerDay: number) => ({ bytesPerDay, bytesPerMonth: bytesPerDay * 30 });

  it('is the headroom to the threshold over the daily growth', () => {
    // 80% of 100 GB is 80 GB; 20 GB used leaves 60 GB at 2 GB a day.
    expect(daysUntilThreshold(20 * GB, 100 * GB, 80, perDay(2 * GB))).toBe(30);
    expect(daysUntilThreshold(20 * GB, 100 * GB, 50, perDay(2 * GB))).toBe(15);
  });

  it('is 0 at or past the threshold, growing or not', () => {
    expect(daysUntilThreshold(80 * GB, 100 * GB, 80, perDay(GB))).toBe(0);
    expect(daysUntilThreshold(90 * GB, 100 * GB, 80, null)).toBe(0);
  });

  it('is unknown when not growing, or when growth is unknown', () => {
    expect(daysUntilThreshold(20 * GB, 100 * GB, 80, perDay(0))).toBeNull();
    expect(daysUntilThreshold(20 * GB, 100 * GB, 80, perDay(-GB))).toBeNull();
    expect(daysUntilThreshold(20 * GB, 100 * GB, 80, null)).toBeNull();
  });
});

describe('compressionRatio', () => {
  it('is bytes before compression over bytes after, unknown while nothing is compressed', () => {
    expect(compressionRatio(1000, 100)).toBe(10);
    expect(compressionRatio(0, 0)).toBeNull();
  });
});

describe('buildStorageReport', () => {
  const context = { thresholdPercent: 80 };

  it('reports the newest sample with growth from the oldest and capacity from its figure', () => {
    const newest = sample(T0 + 10 * DAY_MS, 30 * GB, { capacityBytes: 100 * GB, capacitySource: 'setting' });
    const report = buildStorageReport(newest, sample(T0, 10 * GB), context);
    expect(report).toEqual({
      sampledAt: new Date(T0 + 10 * DAY_MS).toISOString(),
      databaseBytes: 30 * GB,
      marketData: { bytes: 15 * GB, rows: 1000 },
      timeframes: { '1m': { rows: 1000, bytes: 15 * GB } },
      compression: null,
      growth: { bytesPerDay: 2 * GB, bytesPerMonth: 60 * GB },
      capacity: { bytes: 100 * GB, source: 'setting', percentUsed: 30, daysUntilThreshold: 25, thresholdPercent: 80 },
    });
  });

  it('adds the ratio and chunk counts to a TimescaleDB sample', () => {
    const newest = sample(T0, GB, { compression: { uncompressedBytes: 800, compressedBytes: 100, compressedChunks: 2, totalChunks: 5 } });
    expect(buildStorageReport(newest, newest, context).compression).toEqual({
      uncompressedBytes: 800,
      compressedBytes: 100,
      ratio: 8,
      compressedChunks: 2,
      totalChunks: 5,
    });
  });

  it('leaves capacity figures unknown when the capacity is', () => {
    const only = sample(T0, GB);
    const report = buildStorageReport(only, only, context);
    expect(report.growth).toBeNull();
    expect(report.capacity).toEqual({ bytes: null, source: null, percentUsed: null, daysUntilThreshold: null, thresholdPercent: 80 });
  });
});
