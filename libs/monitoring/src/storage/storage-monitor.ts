import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Registry } from 'prom-client';
import { AppConfigService } from '@app/config';
import { DAY_MS, formatDuration, messageOf } from '@app/core';
import { DatabaseService } from '@app/database';
import { METRICS_REGISTRY } from '@app/metrics';
import { StorageCapacity } from './storage-capacity';
import { GROWTH_WINDOW_MS, type StorageReport, buildStorageReport } from './storage-report';
import type { StorageSample } from './storage-sample';
import { StorageSampler } from './storage-sampler';
import { StorageSamplesRepository } from './storage-samples.repository';
import { StorageMetrics } from './storage.metrics';

const TICK_INTERVAL = 'storage-monitor-tick';
/** runExclusive's name: one instance samples per interval. */
const SAMPLE_JOB = 'storage-sample';
/** A sample younger than this share of the interval is this interval's: instances' timers are not in step. */
const FRESH_SHARE = 0.9;
/** storage_samples stays small: growth looks back 30 days, Prometheus keeps the long history of the gauges. */
const RETENTION_MS = 90 * DAY_MS;

/**
 * Storage samples (bytes, rows per timeframe, compression, capacity) every
 * STORAGE_SAMPLE_INTERVAL into storage_samples, taken by one instance per interval; every
 * instance reads the newest back on its own tick, so the report and the gauges are the same
 * on all of them and survive restarts.
 */
@Injectable()
export class StorageMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StorageMonitor.name);
  private readonly sampler: StorageSampler;
  private readonly capacity: StorageCapacity;
  private readonly samples: StorageSamplesRepository;
  private readonly metrics: StorageMetrics;
  private latest?: StorageReport;
  /** This instance's samples run one after another, so their sampledAt order is their measuring order. */
  private sampling: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly database: DatabaseService,
    private readonly config: AppConfigService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.sampler = new StorageSampler(database);
    this.capacity = new StorageCapacity(config, database);
    this.samples = new StorageSamplesRepository(database);
    this.metrics = new StorageMetrics(registry);
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('MONITOR_ENABLED')) return;
    const interval = this.config.get('STORAGE_SAMPLE_INTERVAL');
    this.scheduler.addInterval(
      TICK_INTERVAL,
      setInterval(() => void this.tick(), interval),
    );
    this.logger.log(`storage sampled every ${formatDuration(interval)} (by one instance at a time)`);
    void this.database.whenReady().then(() => this.tick());
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', TICK_INTERVAL)) this.scheduler.deleteInterval(TICK_INTERVAL);
  }

  /**
   * The newest sample's report, as of this instance's last tick (or read now when it has none
   * yet); undefined before any sample, or while the table cannot be read.
   */
  async report(): Promise<StorageReport | undefined> {
    if (this.latest || !this.database.isReady) return this.latest;
    try {
      return await this.refresh();
    } catch (error) {
      this.logger.warn(`storage samples not readable: ${messageOf(error)}`);
      return undefined;
    }
  }

  /** Takes a sample now, whatever the interval, and answers its report. */
  async sampleNow(): Promise<StorageReport> {
    const sample = await this.serialized(() => this.takeSample());
    return this.remember(await this.reportOf(sample));
  }

  private async tick(): Promise<void> {
    if (this.stopped || !this.database.isReady) return;
    try {
      // On a read-only replica only the primary's instances sample; the samples arrive by replication.
      if (this.database.isWritable) await this.database.runExclusive(SAMPLE_JOB, () => this.sampleIfDue());
      await this.refresh();
    } catch (error) {
      this.logger.warn(`storage sample failed: ${messageOf(error)}`);
    }
  }

  /** Inside runExclusive: another instance may have sampled this interval already. */
  private async sampleIfDue(): Promise<void> {
    const age = await this.samples.newestAgeMs();
    if (age !== undefined && age < FRESH_SHARE * this.config.get('STORAGE_SAMPLE_INTERVAL')) return;
    await this.serialized(() => this.takeSample());
  }

  private async takeSample(): Promise<StorageSample> {
    const measured = await this.sampler.measure();
    const capacity = await this.capacity.of(measured.databaseBytes);
    const sample = { ...measured, capacityBytes: capacity?.bytes ?? null, capacitySource: capacity?.source ?? null };
    await this.samples.insert(sample);
    await this.samples.deleteOlderThan(new Date(sample.sampledAt.getTime() - RETENTION_MS));
    return sample;
  }

  /** The newest sample in the table, whichever instance took it. */
  private async refresh(): Promise<StorageReport | undefined> {
    const newest = await this.samples.newest();
    return newest && this.remember(await this.reportOf(newest));
  }

  private async reportOf(newest: StorageSample): Promise<StorageReport> {
    const windowStart = new Date(newest.sampledAt.getTime() - GROWTH_WINDOW_MS);
    const oldest = (await this.samples.oldestSince(windowStart)) ?? newest;
    return buildStorageReport(newest, oldest, { thresholdPercent: this.config.get('ALERT_STORAGE_PERCENT') });
  }

  /** Keeps (and exports) the newest report seen; an older one is answered but not kept. */
  private remember(report: StorageReport): StorageReport {
    if (!this.latest || report.sampledAt >= this.latest.sampledAt) {
      this.latest = report;
      this.metrics.show(report);
    }
    return report;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.sampling.then(work);
    this.sampling = run.catch(() => undefined);
    return run;
  }
}
