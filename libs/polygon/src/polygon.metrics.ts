import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/metrics';

/** How one HTTP attempt ended; label values are fixed words, never URLs or provider text. */
export type RequestOutcome =
  | 'ok'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection_reset'
  | 'network_error'
  | 'unreadable_body'
  | 'not_authorized'
  | 'not_found'
  | 'bad_request';

export type RetryReason = Exclude<RequestOutcome, 'ok' | 'not_authorized' | 'not_found' | 'bad_request'>;

/** Provider counters, registered into the application's one registry (METRICS_REGISTRY). */
@Injectable()
export class PolygonMetrics {
  private readonly requestsTotal: Counter<'outcome'>;
  private readonly rateLimitedTotal: Counter;
  private readonly retriesTotal: Counter<'reason'>;
  private readonly failuresTotal: Counter<'kind'>;
  private readonly latencySeconds: Histogram;
  private readonly pagesTotal: Counter<'result'>;
  private readonly barsTotal: Counter<'timeframe'>;
  private readonly spacingGauge: Gauge;
  /** Send times of this instance's requests over the last minute, oldest first. */
  private readonly sentLastMinute: number[] = [];
  private budgetPerMinute = 0;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.requestsTotal = new Counter({
      name: 'polygon_requests_total',
      help: 'HTTP requests sent to Polygon, by outcome (every attempt counts)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.rateLimitedTotal = new Counter({
      name: 'polygon_rate_limited_total',
      help: 'Polygon answers with status 429',
      registers,
    });
    this.retriesTotal = new Counter({
      name: 'polygon_retries_total',
      help: 'Polygon requests repeated, by reason',
      labelNames: ['reason'] as const,
      registers,
    });
    this.failuresTotal = new Counter({
      name: 'polygon_failures_total',
      help: 'Polygon requests that failed for good, by error kind',
      labelNames: ['kind'] as const,
      registers,
    });
    this.latencySeconds = new Histogram({
      name: 'polygon_request_duration_seconds',
      help: 'Time from sending a Polygon request to its full answer (or failure)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.pagesTotal = new Counter({
      name: 'polygon_pages_total',
      help: 'Polygon answers by result: accepted, rejected (failed validation) or cut (re-asked)',
      labelNames: ['result'] as const,
      registers,
    });
    this.barsTotal = new Counter({
      name: 'polygon_bars_fetched_total',
      help: 'Validated bars received from Polygon, by timeframe',
      labelNames: ['timeframe'] as const,
      registers,
    });
    this.spacingGauge = new Gauge({
      name: 'polygon_request_spacing_ms',
      help: 'Current minimum spacing between Polygon requests (grows after 429s)',
      registers,
    });
    const budgetUsed = (): number => this.budgetUsed(Date.now());
    new Gauge({
      name: 'polygon_budget_used_ratio',
      help: 'Share of POLYGON_RATE_LIMIT_PER_MINUTE this instance used over the last minute (0..1; instances sharing Redis share the budget)',
      registers,
      collect() {
        this.set(budgetUsed());
      },
    });
  }

  /** The per-minute budget the ratio is taken of. */
  setBudget(perMinute: number): void {
    this.budgetPerMinute = perMinute;
  }

  /** Requests sent over the minute before `now`, as a share of the budget. */
  budgetUsed(now: number): number {
    while (this.sentLastMinute.length && this.sentLastMinute[0] <= now - 60_000) this.sentLastMinute.shift();
    return this.budgetPerMinute > 0 ? this.sentLastMinute.length / this.budgetPerMinute : 0;
  }

  recordRequest(outcome: RequestOutcome, durationMs: number): void {
    this.requestsTotal.inc({ outcome });
    const now = Date.now();
    this.sentLastMinute.push(now);
    this.budgetUsed(now); // keeps the list to one minute
    if (outcome === 'rate_limited') this.rateLimitedTotal.inc();
    this.latencySeconds.observe(durationMs / 1000);
  }

  recordRetry(reason: RetryReason): void {
    this.retriesTotal.inc({ reason });
  }

  recordFailure(kind: string): void {
    this.failuresTotal.inc({ kind });
  }

  recordPage(timeframe: string, bars: number): void {
    this.pagesTotal.inc({ result: 'accepted' });
    this.barsTotal.inc({ timeframe }, bars);
  }

  recordRejectedPage(): void {
    this.pagesTotal.inc({ result: 'rejected' });
  }

  recordCutResponse(): void {
    this.pagesTotal.inc({ result: 'cut' });
  }

  setSpacing(ms: number): void {
    this.spacingGauge.set(ms);
  }
}
