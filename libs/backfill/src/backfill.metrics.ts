import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { JobRunReport } from './job-run-report';

/**
 * One record per finished job run (what the old plan called track_1m_backfill_metric):
 * symbol, timeframe, bars, requests, duration, errors. Its own registry, like
 * PolygonMetrics, so test apps in one process never collide; the monitor can merge it.
 */
@Injectable()
export class BackfillMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({
    name: 'backfill_job_runs_total',
    help: 'Finished backfill/refresh job runs, by outcome (done, incomplete, stopped, retrying, failed, halted, paused)',
    labelNames: ['symbol', 'timeframe', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly bars = new Counter({
    name: 'backfill_bars_total',
    help: 'Bars received by backfill and refresh jobs',
    labelNames: ['symbol', 'timeframe'] as const,
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'backfill_requests_total',
    help: 'Provider requests sent by backfill and refresh jobs (retries included)',
    labelNames: ['symbol', 'timeframe'] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'backfill_errors_total',
    help: 'Job runs that ended in an error, by error kind',
    labelNames: ['symbol', 'timeframe', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'backfill_job_duration_seconds',
    help: 'Wall time of one job run',
    labelNames: ['timeframe'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });

  record(report: JobRunReport): void {
    const labels = { symbol: report.symbol, timeframe: report.timeframe };
    this.runs.inc({ ...labels, outcome: report.outcome });
    if (report.bars) this.bars.inc(labels, report.bars);
    if (report.requests) this.requests.inc(labels, report.requests);
    if (report.errorKind) this.errors.inc({ ...labels, kind: report.errorKind });
    this.duration.observe({ timeframe: report.timeframe }, report.durationMs / 1000);
  }
}
