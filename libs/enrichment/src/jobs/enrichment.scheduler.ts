import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { AppConfigService } from '@app/config';
import { DatabaseService } from '@app/database';
import { CandleChangeLog, TrackedSymbolsService } from '@app/market-data';
import { EnrichmentJob } from './enrichment-job';
import { EnrichmentStatus, type SeriesKey, keyOf } from './enrichment-status';
import { EnrichmentMetrics } from './enrichment.metrics';

/** How often idle() looks again while jobs are only waiting. */
const IDLE_POLL_MS = 20;

/**
 * Starts enrichment jobs; the work is EnrichmentJob's. Right after this instance commits a write
 * (CandleChangeLog.onMarked) or changes a symbol's indicators or timeframes, the series' jobs
 * run; every ENRICHMENT_INTERVAL a catch-up pass over tracked_symbols, candle_changes and
 * enrichment_series finds what other instances wrote, what a restart interrupted, new
 * indicators and timeframes, and values of series no longer tracked. At most
 * ENRICHMENT_CONCURRENCY jobs run at once here; the per-series lock keeps instances apart.
 */
@Injectable()
export class EnrichmentScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EnrichmentScheduler.name);
  private readonly waiting = new Map<string, SeriesKey>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private drainScheduled = false;
  private interval: NodeJS.Timeout | undefined;
  private subscription: Subscription | undefined;
  private stopping = false;
  private catchingUp: Promise<void> | undefined;

  constructor(
    private readonly config: AppConfigService,
    private readonly database: DatabaseService,
    private readonly job: EnrichmentJob,
    private readonly changes: CandleChangeLog,
    private readonly trackedSymbols: TrackedSymbolsService,
    private readonly status: EnrichmentStatus,
    private readonly metrics: EnrichmentMetrics,
  ) {}

  get enabled(): boolean {
    return this.config.get('ENRICHMENT_ENABLED');
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.log('enrichment is off (ENRICHMENT_ENABLED=false): indicators are computed per request');
      return;
    }
    this.changes.onMarked((series) => this.enqueue(series));
    this.subscription = this.trackedSymbols.changes.subscribe((change) => {
      if (change.kind === 'untracked') this.requestCatchUp();
      else this.enqueue(change.symbol.timeframes.map((timeframe) => ({ symbol: change.symbol.symbol, timeframe })));
      if (change.kind === 'timeframes-changed') this.requestCatchUp(); // removed timeframes lose their values
    });
    this.interval = setInterval(() => this.requestCatchUp(), this.config.get('ENRICHMENT_INTERVAL'));
    this.interval.unref();
    this.requestCatchUp();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.interval);
    this.subscription?.unsubscribe();
    await this.catchingUp;
    await Promise.all(this.running.values());
  }

  /** Runs the catch-up pass now and waits for it and the jobs it started (tests, and the first pass after start). */
  async catchUpNow(): Promise<void> {
    await this.catchUp();
    await this.idle();
  }

  /** Resolves once no job is waiting or running here. */
  async idle(): Promise<void> {
    while (this.running.size || this.waiting.size) {
      if (this.waiting.size && !this.drainScheduled) this.drain();
      await Promise.race([...this.running.values(), new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS))]);
    }
  }

  private requestCatchUp(): void {
    if (this.stopping || this.catchingUp) return;
    this.catchingUp = this.catchUp()
      .catch((error: unknown) => this.logger.warn(`enrichment catch-up failed (next pass retries): ${String(error)}`))
      .finally(() => (this.catchingUp = undefined));
  }

  private async catchUp(): Promise<void> {
    // The first pass runs at start, while the database may still be connecting.
    await this.database.whenReady();
    if (this.database.isReadOnly) return; // a replica: the primary's instances enrich
    const { series, strays } = await this.status.survey();
    this.metrics.lags(series);
    // Strays: values or marks of series or indicators no longer tracked; their job removes them.
    this.enqueue([...series.filter((one) => one.due), ...strays]);
  }

  private enqueue(series: readonly SeriesKey[]): void {
    if (this.stopping) return;
    for (const one of series) {
      const key = keyOf(one);
      if (this.running.has(key)) this.again.add(key);
      else this.waiting.set(key, one);
    }
    // Started on the next turn, so the marks of one burst start one job; a write during a run gets one more run after it.
    if (this.waiting.size && !this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(() => {
        this.drainScheduled = false;
        this.drain();
      });
    }
  }

  private drain(): void {
    if (this.database.isReadOnly) return this.waiting.clear();
    const concurrency = this.config.get('ENRICHMENT_CONCURRENCY');
    for (const [key, series] of this.waiting) {
      if (this.stopping || this.running.size >= concurrency) return;
      this.waiting.delete(key);
      const run = this.job
        .run(series.symbol, series.timeframe)
        .then(
          () => undefined,
          () => undefined, // logged and recorded by the job; its mark stays for the next pass
        )
        .finally(() => {
          this.running.delete(key);
          if (this.again.delete(key)) this.waiting.set(key, series);
          this.drain();
        });
      this.running.set(key, run);
    }
  }
}
