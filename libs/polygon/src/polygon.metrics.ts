import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProviderStats } from './market-data-provider';

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

/**
 * Provider counters in their own prom-client registry (so several clients or test apps in
 * one process never collide on the global one). The monitoring module can expose them with
 * `Registry.merge([..., polygonMetrics.registry])`; `stats()` is the same as a plain snapshot.
 */
@Injectable()
export class PolygonMetrics {
  readonly registry = new Registry();
  private readonly requestsTotal = new Counter({
    name: 'polygon_requests_total',
    help: 'HTTP requests sent to Polygon, by outcome (every attempt counts)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly rateLimitedTotal = new Counter({
    name: 'polygon_rate_limited_total',
    help: 'Polygon answers with status 429',
    registers: [this.registry],
  });
  private readonly retriesTotal = new Counter({
    name: 'polygon_retries_total',
    help: 'Polygon requests repeated, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly failuresTotal = new Counter({
    name: 'polygon_failures_total',
    help: 'Polygon requests that failed for good, by error kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly latencySeconds = new Histogram({
    name: 'polygon_request_duration_seconds',
    help: 'Time from sending a Polygon request to its full answer (or failure)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly pagesTotal = new Counter({
    name: 'polygon_pages_total',
    help: 'Polygon answers by result: accepted, rejected (failed validation) or cut (re-asked)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly barsTotal = new Counter({
    name: 'polygon_bars_fetched_total',
    help: 'Validated bars received from Polygon, by timeframe',
    labelNames: ['timeframe'] as const,
    registers: [this.registry],
  });
  private readonly spacingGauge = new Gauge({
    name: 'polygon_request_spacing_ms',
    help: 'Current minimum spacing between Polygon requests (grows after 429s)',
    registers: [this.registry],
  });

  private readonly counts = { requests: 0, rateLimited: 0, retries: 0, failures: 0, pages: 0, rejectedPages: 0, cutResponses: 0, barsFetched: 0 };
  private readonly latency = { count: 0, totalMs: 0, maxMs: 0, lastMs: 0 };
  private spacingMs = 0;
  private lastError?: ProviderStats['lastError'];

  recordRequest(outcome: RequestOutcome, durationMs: number): void {
    this.requestsTotal.inc({ outcome });
    this.counts.requests++;
    if (outcome === 'rate_limited') {
      this.rateLimitedTotal.inc();
      this.counts.rateLimited++;
    }
    this.latencySeconds.observe(durationMs / 1000);
    this.latency.count++;
    this.latency.totalMs += durationMs;
    this.latency.maxMs = Math.max(this.latency.maxMs, durationMs);
    this.latency.lastMs = durationMs;
  }

  recordRetry(reason: RetryReason): void {
    this.retriesTotal.inc({ reason });
    this.counts.retries++;
  }

  /** `message` must already be safe to show (typed provider errors are). */
  recordFailure(kind: string, message: string): void {
    this.failuresTotal.inc({ kind });
    this.counts.failures++;
    this.lastError = { at: new Date().toISOString(), kind, message };
  }

  recordPage(timeframe: string, bars: number): void {
    this.pagesTotal.inc({ result: 'accepted' });
    this.barsTotal.inc({ timeframe }, bars);
    this.counts.pages++;
    this.counts.barsFetched += bars;
  }

  recordRejectedPage(): void {
    this.pagesTotal.inc({ result: 'rejected' });
    this.counts.rejectedPages++;
  }

  recordCutResponse(): void {
    this.pagesTotal.inc({ result: 'cut' });
    this.counts.cutResponses++;
  }

  setSpacing(ms: number): void {
    this.spacingGauge.set(ms);
    this.spacingMs = ms;
  }

  stats(): ProviderStats {
    const { count, totalMs, maxMs, lastMs } = this.latency;
    return {
      ...this.counts,
      latency: { count, averageMs: count ? Math.round(totalMs / count) : 0, maxMs: Math.round(maxMs), lastMs: Math.round(lastMs) },
      limiterSpacingMs: this.spacingMs,
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
    };
  }
}
