import { MINUTE_MS } from '@app/core';
import type { IndicatorBar } from '../indicator-bar';

/** One-minute bars from closes alone (high = low = close, volume 1), starting at `start`. */
export function barsFromCloses(closes: readonly number[], start = 0): IndicatorBar[] {
  return closes.map((close, i) => ({ time: start + i * MINUTE_MS, high: close, low: close, close, volume: 1 }));
}

/** One-minute bars from [high, low, close, volume] rows, starting at `start`. */
export function barsFromRows(rows: readonly (readonly [number, number, number, number])[], start = 0): IndicatorBar[] {
  return rows.map(([high, low, close, volume], i) => ({ time: start + i * MINUTE_MS, high, low, close, volume }));
}
