import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DatabaseService, SlowQueryPlans } from '@app/database';
import { METRICS_REGISTRY } from '@app/metrics';
import { CLOCK, type Clock, iso } from '@app/core';
import { DatabaseHealthReporter } from '../database-health/database-health.reporter';
import { LatencyWindows } from '../latency/latency-windows';
import type { LatencySummary } from '../latency/latency-summary';
import { StorageMonitor } from '../storage/storage-monitor';

const WINDOWS = { last5Minutes: 5 * 60_000, lastHour: 60 * 60_000 } as const;

/** p50/p95/p99 of 1m candle requests over those of 5m: the comparison the plan asks for (1m pages hold 5x the bars). */
export interface LatencyRatio {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

const ratioOf = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || !b ? null : a / b;

export type PerformanceReport = Record<string, unknown>;

/** The numbers behind GET /api/v1/monitor/performance, gathered from every part of the monitor. */
@Injectable()
export class PerformanceView {
  constructor(
    private readonly latency: LatencyWindows,
    private readonly storage: StorageMonitor,
    private readonly databaseHealth: DatabaseHealthReporter,
    private readonly slowPlans: SlowQueryPlans,
    private readonly database: DatabaseService,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(): Promise<PerformanceReport> {
    const now = this.clock.now();
    const latency: Record<string, { routes: LatencySummary[]; timeframes: LatencySummary[]; minuteToFiveMinuteRatio: LatencyRatio }> = {};
    for (const [name, windowMs] of Object.entries(WINDOWS)) {
      const routes = await this.latency.quantiles('route', windowMs, now);
      const timeframes = await this.latency.quantiles('timeframe', windowMs, now);
      const m1 = timeframes.find((t) => t.key === '1m');
      const m5 = timeframes.find((t) => t.key === '5m');
      latency[name] = {
        routes,
        timeframes,
        minuteToFiveMinuteRatio: { p50: ratioOf(m1?.p50, m5?.p50), p95: ratioOf(m1?.p95, m5?.p95), p99: ratioOf(m1?.p99, m5?.p99) },
      };
    }
    return {
      generatedAt: iso(now),
      latency,
      storage: (await this.storage.report()) ?? null,
      database: await this.databaseHealth.report(),
      slowQueries: this.slowPlans.recent(),
      provider: await this.provider(),
      backfill: await this.backfillOutcomes(),
    };
  }

  /** This instance's provider budget and counters (the provider answers each instance on its own). */
  private async provider() {
    return {
      budgetUsedRatio: await this.metricSum('polygon_budget_used_ratio'),
      requests: await this.metricSum('polygon_requests_total'),
      rateLimited: await this.metricSum('polygon_rate_limited_total'),
      retries: await this.metricSum('polygon_retries_total'),
    };
  }

  /** Jobs per timeframe and state, from backfill_checkpoints (every instance's). */
  private async backfillOutcomes() {
    const rows = await this.database.query<{ timeframe: string; state: string; jobs: number; bars: string; errors: number }>(
      `SELECT timeframe, state, count(*)::int AS jobs, sum(bars)::text AS bars, sum(errors)::int AS errors
       FROM backfill_checkpoints GROUP BY timeframe, state ORDER BY timeframe, state`,
    );
    return rows.map((row) => ({ timeframe: row.timeframe, state: row.state, jobs: row.jobs, bars: Number(row.bars), errors: row.errors }));
  }

  private async metricSum(name: string): Promise<number | null> {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return null;
    return (await metric.get()).values.reduce((sum, sample) => sum + sample.value, 0);
  }
}
