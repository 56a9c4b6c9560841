import { histogramQuantile } from './histogram-quantile';

/** Latency of one route or timeframe over a window, across every instance; seconds. */
export interface LatencySummary {
  key: string;
  count: number;
  /** null when count is 0. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  meanSeconds: number | null;
}

/** The summary of one key's histogram (per-bucket counts over `edges`, +Inf last) and its sum of seconds. */
export function summarizeLatency(key: string, edges: readonly number[], counts: readonly number[], totalSeconds: number): LatencySummary {
  const count = counts.reduce((sum, c) => sum + c, 0);
  return {
    key,
    count,
    p50: histogramQuantile(0.5, edges, counts),
    p95: histogramQuantile(0.95, edges, counts),
    p99: histogramQuantile(0.99, edges, counts),
    meanSeconds: count === 0 ? null : totalSeconds / count,
  };
}
