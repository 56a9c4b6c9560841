import { elapsedMs, percentile } from './bench-database';

/**
 * Median ms of each of two runs, taken in turns (A B, B A, ...) so machine drift hits both
 * alike; the first `warmup` rounds are not counted.
 */
export async function interleavedMedians<K extends string>(
  runs: Record<K, () => Promise<void>>,
  warmup: number,
  rounds: number,
): Promise<Record<K, number>> {
  const names = Object.keys(runs) as K[];
  const timings = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = -warmup; i < rounds; i++) {
    for (const name of i % 2 ? [...names].reverse() : names) {
      const start = process.hrtime.bigint();
      await runs[name]();
      if (i >= 0) timings[name].push(elapsedMs(start));
    }
  }
  return Object.fromEntries(names.map((name) => [name, percentile(timings[name], 50)])) as Record<K, number>;
}
