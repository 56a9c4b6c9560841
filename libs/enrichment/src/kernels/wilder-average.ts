import type { JsonValue } from '../json-value';
import { SavedData } from '../definition/saved-data';

/**
 * Wilder's smoothing as TA-Lib computes it (RSI's gains and losses, ATR's true ranges): the
 * plain mean of the first `period` values, then avg = (avg * (period - 1) + x) / period, in
 * those three steps.
 */
export class WilderAverage {
  private constructor(
    private readonly period: number,
    private count: number,
    private seedSum: number,
    private value: number | null,
  ) {}

  static start(period: number, saved?: SavedData): WilderAverage {
    if (!saved) return new WilderAverage(period, 0, 0, null);
    return new WilderAverage(period, saved.number('count'), saved.number('seedSum'), saved.numberOrNull('value'));
  }

  /** Adds a value; the average once `period` values are in, else NaN. */
  add(x: number): number {
    if (this.value !== null) {
      this.value *= this.period - 1;
      this.value += x;
      this.value /= this.period;
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
