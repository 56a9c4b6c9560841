/**
 * The q-quantile of a histogram, computed as Prometheus' histogram_quantile does
 * (promql/quantile.go, bucketQuantile), so the monitor and a PromQL query over
 * http_request_duration_seconds agree:
 * - rank = q x observations; the answer lies in the first bucket whose cumulative count reaches it,
 *   interpolated linearly between that bucket's lower and upper edge (the lowest bucket starts at 0);
 * - in the +Inf bucket: the last finite edge; in a lowest bucket whose edge is <= 0: that edge;
 * - q < 0: -Infinity, q > 1: +Infinity, q NaN: NaN; no observations: null (Prometheus' NaN).
 *
 * `edges` are the finite upper bounds, ascending; `counts` are per bucket (not cumulative), one per
 * edge plus the +Inf bucket last.
 */
export function histogramQuantile(q: number, edges: readonly number[], counts: readonly number[]): number | null {
  if (counts.length !== edges.length + 1) throw new RangeError(`expected ${edges.length + 1} bucket counts, got ${counts.length}`);
  const observations = counts.reduce((sum, count) => sum + count, 0);
  if (observations === 0 || edges.length === 0) return null;
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  let rank = q * observations;
  let below = 0;
  for (let b = 0; b < edges.length; b++) {
    const cumulative = below + counts[b];
    if (cumulative >= rank) {
      if (b === 0 && edges[0] <= 0) return edges[0];
      const start = b === 0 ? 0 : edges[b - 1];
      rank -= below;
      // 0/0 (q = 0 with an empty lowest bucket) is NaN, as in Prometheus.
      return start + (edges[b] - start) * (rank / counts[b]);
    }
    below = cumulative;
  }
  return edges[edges.length - 1];
}
