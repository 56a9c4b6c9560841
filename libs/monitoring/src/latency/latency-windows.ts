import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfigService } from '@app/config';
import { CLOCK, type Clock, HOUR_MS, MINUTE_MS, messageOf } from '@app/core';
import { DatabaseService } from '@app/database';
import { REQUEST_BUCKETS } from '../requests/request-buckets';
import { LatencySlotRecorder, type LatencySeries, SLOT_MS } from './latency-slot-recorder';
import { InstanceIdentity } from '../instance-id';
import { LatencySlotRepository } from './latency-slot.repository';
import { type LatencySummary, summarizeLatency } from './latency-summary';

export type { LatencySeries } from './latency-slot-recorder';
export type { LatencySummary } from './latency-summary';

const FLUSH_INTERVAL = 'latency-windows-flush';
/** Slots the database has not taken are kept this long, then dropped (bounded memory while it is down). */
const KEEP_UNWRITTEN_MS = HOUR_MS;
/** Rows older than this are deleted: the longest window the monitor asks for is 1 hour. */
const KEEP_ROWS_MS = 2 * HOUR_MS;
const PRUNE_EVERY_MS = 10 * MINUTE_MS;
/** The last flush on shutdown is best effort: a database that does not answer must not hold the exit. */
const SHUTDOWN_FLUSH_MS = 2_000;

/**
 * Latency histograms per route (`GET /api/v1/asset/:symbol/candles`) and per candle-read
 * timeframe (`1m`) in 10-second slots, in memory, written every 10 s to latency_slots as this
 * instance's absolute values (so a retried write never counts twice). quantiles() sums every
 * instance's slots of a window, so p50/p95/p99 cover all instances behind the load balancer.
 * Slot times come from CLOCK, as the alert evaluator's `now` does. MONITOR_ENABLED=false: nothing.
 */
@Injectable()
export class LatencyWindows implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LatencyWindows.name);
  private readonly enabled: boolean;
  private readonly recorder = new LatencySlotRecorder(REQUEST_BUCKETS);
  private lastWrite: Promise<void> = Promise.resolve();
  private nextWrite?: Promise<void>;
  private failing = false;
  private prunedAt = 0;

  constructor(
    config: AppConfigService,
    private readonly slots: LatencySlotRepository,
    private readonly database: DatabaseService,
    private readonly registry: SchedulerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly identity: InstanceIdentity,
  ) {
    this.enabled = config.get('MONITOR_ENABLED');
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.registry.addInterval(
      FLUSH_INTERVAL,
      setInterval(() => void this.flush(), SLOT_MS),
    );
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', FLUSH_INTERVAL)) this.registry.deleteInterval(FLUSH_INTERVAL);
    if (!this.enabled) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS)));
    await Promise.race([this.flush(), timeout]).finally(() => clearTimeout(timer));
  }

  /** One request (or candle read) of `seconds`, into the current slot. */
  observe(series: LatencySeries, key: string, seconds: number): void {
    if (this.enabled) this.recorder.observe(series, key, seconds, this.clock.now());
  }

  /**
   * p50/p95/p99 and mean per key over slots starting in [now - windowMs, now], across every
   * instance, this one's latest requests included. Quantiles as Prometheus' histogram_quantile
   * estimates them (see histogramQuantile); the window is whole 10-second slots.
   */
  async quantiles(series: LatencySeries, windowMs: number, now = this.clock.now()): Promise<LatencySummary[]> {
    if (!this.enabled) return [];
    await this.flush();
    const sums = await this.slots.sums(series, now - windowMs, now, REQUEST_BUCKETS.length + 1);
    return sums.map((s) => summarizeLatency(s.key, REQUEST_BUCKETS, s.counts, s.totalSeconds));
  }

  /**
   * Writes this instance's slots changed since their last write; never rejects (what a failed
   * write held stays for the next). One write at a time: a call during one waits for it, then
   * writes what came since, shared with the other calls that waited.
   */
  flush(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    if (!this.nextWrite) {
      this.nextWrite = this.lastWrite.then(() => {
        this.nextWrite = undefined;
        return this.write();
      });
      this.lastWrite = this.nextWrite;
    }
    return this.nextWrite;
  }

  private async write(): Promise<void> {
    const now = this.clock.now();
    try {
      // Not writable (down, or a read-only replica): this instance's slots are kept an hour, then forgotten.
      if (!this.database.isWritable) return;
      const pending = this.recorder.unwritten();
      if (pending.rows.length) await this.slots.upsert(this.identity.id, pending.rows);
      pending.markWritten();
      if (now - this.prunedAt >= PRUNE_EVERY_MS) {
        await this.slots.deleteBefore(now - KEEP_ROWS_MS);
        this.prunedAt = now;
      }
      if (this.failing) this.logger.log('latency slots are written again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`latency slots not written, kept for the next try: ${messageOf(error)}`);
      this.failing = true;
    } finally {
      this.recorder.forget(now, KEEP_UNWRITTEN_MS);
    }
  }
}
