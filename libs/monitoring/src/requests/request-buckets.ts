/** Seconds; 0.5 s is the monitor's slow-request threshold, so it is a bucket edge. Shared by the histogram and the latency windows. */
export const REQUEST_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
