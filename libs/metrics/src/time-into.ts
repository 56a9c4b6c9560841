import type { Histogram } from 'prom-client';

/** Runs `work` and observes how long it took (settled or not) into `histogram` under `labels`. */
export async function timeInto<T extends string, R>(
  histogram: Histogram<T>,
  labels: Partial<Record<T, string>>,
  work: () => Promise<R>,
): Promise<R> {
  const end = histogram.startTimer(labels);
  try {
    return await work();
  } finally {
    end();
  }
}
