import type { JsonValue } from '../json-value';
import { SavedData } from '../definition/saved-data';

/**
 * TA-Lib's EMA: seeded with the simple average of its first `period` values, then
 * `ema = (x - ema) * k + ema` with k = 2 / (period + 1), in that operation order.
 */
export class SeededEma {
  private readonly k: number;

  private constructor(
    private readonly period: number,
    private count: number,
    private seedSum: number,
    private value: number | null,
  ) {
    this.k = 2 / (period + 1);
  }

  static start(period: number, saved?: SavedData): SeededEma {
    if (!saved) return new SeededEma(period, 0, 0, null);
    return new SeededEma(period, saved.number('count'), saved.number('seedSum'), saved.numberOrNull('value'));
  }

  /** Adds a value; the EMA once `period` values are in, else NaN. */
  add(x: number): number {
    if (this.value !== null) {
      this.value = (x - this.value) * this.k + this.value;
      return this.value;
    }
    this.seedSum += x;
    this.count += 1;
    if (this.count < this.period) return NaN;
    this.value = this.seedSum / this.period;
    return this.value;
  }

  snapshot(): JsonValue {
    return { count: this.count, seedSum: this.seedSum, value: this.value };
  }
}
