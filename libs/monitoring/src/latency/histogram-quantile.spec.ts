import { histogramQuantile } from './histogram-quantile';
import { summarizeLatency } from './latency-summary';

/** Edges 0.1, 0.5, 1 (+Inf): counts below are per bucket, +Inf last. */
const EDGES = [0.1, 0.5, 1];

describe('histogramQuantile (as Prometheus histogram_quantile)', () => {
  // 10 in (0, 0.1], 20 in (0.1, 0.5], 10 in (0.5, 1]: cumulative 10, 30, 40, 40.
  const counts = [10, 20, 10, 0];

  it('interpolates linearly inside the bucket the rank falls in', () => {
    // p50: rank 20 -> second bucket, 10 of its 20: 0.1 + 0.4 x 10/20.
    expect(histogramQuantile(0.5, EDGES, counts)).toBeCloseTo(0.3, 12);
    // p95: rank 38 -> third bucket, 8 of its 10: 0.5 + 0.5 x 8/10.
    expect(histogramQuantile(0.95, EDGES, counts)).toBeCloseTo(0.9, 12);
    // p99: rank 39.6 -> 0.5 + 0.5 x 9.6/10.
    expect(histogramQuantile(0.99, EDGES, counts)).toBeCloseTo(0.98, 12);
  });

  it('starts the lowest bucket at 0', () => {
    // rank 2 of 4, all in (0, 0.1]: 0.1 x 2/4.
    expect(histogramQuantile(0.5, EDGES, [4, 0, 0, 0])).toBeCloseTo(0.05, 12);
  });

  it('answers the upper edge when the rank is exactly a bucket boundary, skipping empty buckets after it', () => {
    expect(histogramQuantile(0.5, EDGES, [5, 5, 0, 0])).toBe(0.1);
    expect(histogramQuantile(0.5, EDGES, [5, 0, 5, 0])).toBe(0.1);
    // rank 9.5: cumulative 5, 5, 10 -> third bucket, 4.5 of its 5: 0.5 + 0.5 x 0.9.
    expect(histogramQuantile(0.95, EDGES, [5, 0, 5, 0])).toBeCloseTo(0.95, 12);
  });

  it('answers the last finite edge when the rank falls in +Inf', () => {
    expect(histogramQuantile(0.5, EDGES, [0, 0, 0, 5])).toBe(1);
    // rank 9.9 of 10, only 9 finite: +Inf.
    expect(histogramQuantile(0.99, EDGES, [9, 0, 0, 1])).toBe(1);
  });

  it('answers null without observations (Prometheus: NaN)', () => {
    expect(histogramQuantile(0.5, EDGES, [0, 0, 0, 0])).toBeNull();
  });

  it('answers -Inf below q = 0, +Inf above q = 1, NaN for q = NaN', () => {
    expect(histogramQuantile(-0.1, EDGES, counts)).toBe(-Infinity);
    expect(histogramQuantile(1.1, EDGES, counts)).toBe(Infinity);
    expect(histogramQuantile(NaN, EDGES, counts)).toBeNaN();
  });

  it('answers q = 0 and q = 1 as Prometheus does: 0 (NaN when the lowest bucket is empty) and the highest non-empty edge', () => {
    expect(histogramQuantile(0, EDGES, counts)).toBe(0);
    expect(histogramQuantile(0, EDGES, [0, 3, 0, 0])).toBeNaN();
    expect(histogramQuantile(1, EDGES, counts)).toBe(1);
  });

  it('answers the lowest edge when it is <= 0 and the rank falls in it', () => {
    expect(histogramQuantile(0.25, [0, 1], [2, 2, 0])).toBe(0);
  });

  it('refuses counts that do not match the edges', () => {
    expect(() => histogramQuantile(0.5, EDGES, [1, 2, 3])).toThrow(RangeError);
  });
});

describe('summarizeLatency', () => {
  it('gives count, p50/p95/p99 and the mean', () => {
    expect(summarizeLatency('GET /x', EDGES, [10, 20, 10, 0], 12)).toEqual({
      key: 'GET /x',
      count: 40,
      p50: expect.closeTo(0.3, 12),
      p95: expect.closeTo(0.9, 12),
      p99: expect.closeTo(0.98, 12),
      meanSeconds: 0.3,
    });
  });

  it('gives nulls for an empty histogram', () => {
    expect(summarizeLatency('GET /x', EDGES, [0, 0, 0, 0], 0)).toEqual({
      key: 'GET /x',
      count: 0,
      p50: null,
      p95: null,
      p99: null,
      meanSeconds: null,
    });
  });
});
