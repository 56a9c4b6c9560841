import type { Registry } from 'prom-client';

/** What PolygonMetrics counted, read back from the prom-client registry it registered into. */
export interface PolygonCounts {
  /** polygon_requests_total, every outcome. */
  requests: number;
  /** polygon_rate_limited_total. */
  rateLimited: number;
  /** polygon_retries_total, every reason. */
  retries: number;
  /** polygon_failures_total, every kind. */
  failures: number;
  /** polygon_pages_total{result="accepted"}. */
  pages: number;
  /** polygon_pages_total{result="rejected"}. */
  rejectedPages: number;
  /** polygon_pages_total{result="cut"}. */
  cutResponses: number;
  /** polygon_bars_fetched_total, every timeframe. */
  barsFetched: number;
  /** polygon_request_duration_seconds_count: requests timed. */
  timedRequests: number;
  /** polygon_request_spacing_ms. */
  limiterSpacingMs: number;
}

/** Sums of the Polygon samples in `registry` (tests and benchmarks; /metrics serves the same). */
export async function polygonCounts(registry: Registry): Promise<PolygonCounts> {
  // A histogram's samples carry their own names (`_bucket`, `_sum`, `_count`); prom-client's type omits it.
  const samples = (await registry.getMetricsAsJSON()).flatMap((metric) =>
    metric.values.map((sample: { metricName?: string; labels: Record<string, string | number | undefined>; value: number }) => ({
      name: sample.metricName ?? metric.name,
      labels: sample.labels,
      value: sample.value,
    })),
  );
  const sum = (name: string, labels: Record<string, string> = {}): number =>
    samples
      .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
      .reduce((total, sample) => total + sample.value, 0);
  return {
    requests: sum('polygon_requests_total'),
    rateLimited: sum('polygon_rate_limited_total'),
    retries: sum('polygon_retries_total'),
    failures: sum('polygon_failures_total'),
    pages: sum('polygon_pages_total', { result: 'accepted' }),
    rejectedPages: sum('polygon_pages_total', { result: 'rejected' }),
    cutResponses: sum('polygon_pages_total', { result: 'cut' }),
    barsFetched: sum('polygon_bars_fetched_total'),
    timedRequests: sum('polygon_request_duration_seconds_count'),
    limiterSpacingMs: sum('polygon_request_spacing_ms'),
  };
}
