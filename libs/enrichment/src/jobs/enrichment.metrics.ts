import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/metrics';

/** One record per finished enrichment run, by timeframe (no symbol label: the series stay few). */
@Injectable()
export class EnrichmentMetrics {
  private readonly runs: Counter<'timeframe' | 'outcome'>;
  private readonly values: Counter<'timeframe'>;
  private readonly duration: Histogram<'timeframe'>;
  /** Per timeframe, the largest lag of the last catch-up pass's survey. */
  private worstLag = new Map<string, number>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.runs = new Counter({
      name: 'enrichment_runs_total',
      help: 'Finished enrichment runs (one series, all its indicators), by outcome (done, failed)',
      labelNames: ['timeframe', 'outcome'] as const,
      registers,
    });
    this.values = new Counter({
      name: 'enrichment_values_written_total',
      help: 'Indicator values written (bars x indicators recomputed)',
      labelNames: ['timeframe'] as const,
      registers,
    });
    this.duration = new Histogram({
      name: 'enrichment_run_duration_seconds',
      help: 'Wall time of one enrichment run, write to stored values',
      labelNames: ['timeframe'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers,
    });
    const worstLag = () => this.worstLag;
    new Gauge({
      name: 'enrichment_lag_seconds',
      help: 'Largest lag, over the tracked series at the last catch-up pass, between the newest stored bar and the newest bar with stored indicator values',
      labelNames: ['timeframe'] as const,
      registers,
      collect() {
        this.reset();
        for (const [timeframe, seconds] of worstLag()) this.set({ timeframe }, seconds);
      },
    });
  }

  done(timeframe: string, valuesWritten: number, durationMs: number): void {
    this.runs.inc({ timeframe, outcome: 'done' });
    if (valuesWritten) this.values.inc({ timeframe }, valuesWritten);
    this.duration.observe({ timeframe }, durationMs / 1000);
  }

  failed(timeframe: string, durationMs: number): void {
    this.runs.inc({ timeframe, outcome: 'failed' });
    this.duration.observe({ timeframe }, durationMs / 1000);
  }

  /** The lags a catch-up pass found, replacing the previous pass's. */
  lags(series: readonly { timeframe: string; lagSeconds: number | null }[]): void {
    const worst = new Map<string, number>();
    for (const { timeframe, lagSeconds } of series) {
      if (lagSeconds !== null) worst.set(timeframe, Math.max(worst.get(timeframe) ?? 0, lagSeconds));
    }
    this.worstLag = worst;
  }
}
