import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/metrics';
import type { JobRunReport } from './job-run-report';

/**
 * One record per finished job run: timeframe, outcome, bars, requests, duration, errors, in
 * the application's one registry (METRICS_REGISTRY). No symbol label, so the series stay
 * few however many symbols are tracked; per-symbol detail is in /api/v1/backfill/jobs.
 */
@Injectable()
export class BackfillMetrics {
  private readonly runs: Counter<'timeframe' | 'outcome'>;
  private readonly bars: Counter<'timeframe'>;
  private readonly requests: Counter<'timeframe'>;
  private readonly errors: Counter<'timeframe' | 'kind'>;
  private readonly duration: Histogram<'timeframe'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.runs = new Counter({
      name: 'backfill_job_runs_total',
      help: 'Finished backfill/refresh job runs, by outcome (done, incomplete, stopped, retrying, failed, halted, paused)',
      labelNames: ['timeframe', 'outcome'] as const,
      registers,
    });
    this.bars = new Counter({
      name: 'backfill_bars_total',
      help: 'Bars received by backfill and refresh jobs',
      labelNames: ['timeframe'] as const,
      registers,
    });
    this.requests = new Counter({
      name: 'backfill_requests_total',
      help: 'Provider requests sent by backfill and refresh jobs (retries included)',
      labelNames: ['timeframe'] as const,
      registers,
    });
    this.errors = new Counter({
      name: 'backfill_errors_total',
      help: 'Job runs that ended in an error, by error kind',
      labelNames: ['timeframe', 'kind'] as const,
      registers,
    });
    this.duration = new Histogram({
      name: 'backfill_job_duration_seconds',
      help: 'Wall time of one job run',
      labelNames: ['timeframe'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
  }

  record(report: JobRunReport): void {
    const labels = { timeframe: report.timeframe };
    this.runs.inc({ ...labels, outcome: report.outcome });
    if (report.bars) this.bars.inc(labels, report.bars);
    if (report.requests) this.requests.inc(labels, report.requests);
    if (report.errorKind) this.errors.inc({ ...labels, kind: report.errorKind });
    this.duration.observe(labels, report.durationMs / 1000);
  }
}
