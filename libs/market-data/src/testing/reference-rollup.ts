import type { Candle, CandleValues } from '@app/core';
import type { DerivedCandle } from '../derived/derived-candle';

/** A bar rolled up in plain JavaScript: the oracle the SQL rollups are checked against. */
export interface ReferenceBar extends CandleValues {
  minuteBars: number;
}

/** Groups 1m bars by `bucketOf(start)`: open first, close last, high max, low min, sums, volume-weighted vwap. */
export function rollUp(bars: readonly Candle[], bucketOf: (utcMs: number) => number): ReferenceBar[] {
  const sorted = [...bars].sort((a, b) => a.time - b.time);
  const groups = new Map<number, Candle[]>();
  for (const bar of sorted) {
    const key = bucketOf(bar.time);
    const group = groups.get(key);
    if (group) group.push(bar);
    else groups.set(key, [bar]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([time, group]) => {
      const priced = group.filter((bar) => bar.vwap !== null);
      const pricedVolume = priced.reduce((sum, bar) => sum + bar.volume, 0);
      const counted = group.filter((bar) => bar.trades !== null);
      return {
        time,
        open: group[0].open,
        high: Math.max(...group.map((bar) => bar.high)),
        low: Math.min(...group.map((bar) => bar.low)),
        close: group[group.length - 1].close,
        volume: group.reduce((sum, bar) => sum + bar.volume, 0),
        vwap: pricedVolume > 0 ? priced.reduce((sum, bar) => sum + (bar.vwap ?? 0) * bar.volume, 0) / pricedVolume : null,
        trades: counted.length ? counted.reduce((sum, bar) => sum + (bar.trades ?? 0), 0) : null,
        minuteBars: group.length,
      };
    });
}

/**
 * Compares derived candles with reference bars. Everything must match exactly except vwap,
 * a ratio of float sums whose last bits depend on summation order (engines, and the
 * rollup levels of the aggregates, add in different orders): 1e-12 relative.
 */
export function expectSameBars(actual: readonly DerivedCandle[], expected: readonly ReferenceBar[]): void {
  const strip = (bar: ReferenceBar | DerivedCandle) => ({
    time: new Date(bar.time).toISOString(),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    trades: bar.trades,
    minuteBars: bar.minuteBars,
    hasVwap: bar.vwap !== null,
  });
  expect(actual.map(strip)).toEqual(expected.map(strip));
  actual.forEach((bar, i) => {
    const want = expected[i].vwap;
    if (want !== null && bar.vwap !== null) expect(Math.abs(bar.vwap - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-12);
  });
}
