import type { JsonValue } from '../json-value';
import { SavedData } from '../definition/saved-data';

/** One smoothing step: the new value from the previous one and the next input. */
type Step = (previous: number, x: number, period: number) => number;

/** TA-Lib's EMA: (x - ema) * k + ema, k = 2 / (period + 1), in that operation order. */
const emaStep: Step = (previous, x, period) => (x - previous) * (2 / (period + 1)) + previous;

/** Wilder's smoothing (RSI's gains and losses, ATR's true ranges): (avg * (period - 1) + x) / period, in three steps. */
const wilderStep: Step = (previous, x, period) => {
  let value = previous * (period - 1);
  value += x;
  return value / period;
};

/**
 * A recursive smoothing seeded, as TA-Lib seeds it, with the plain mean of its first `period`
 * values: TA-Lib's EMA and Wilder's average differ only in the step after the seed.
 */
export class SmaSeededSmoothing {
  private constructor(
    private readonly step: Step,
    private readonly period: number,
    private count: number,
    private seedSum: number,
    private value: number | null,
  ) {}

  static ema(period: number, saved?: SavedData): SmaSeededSmoothing {
    return SmaSeededSmoothing.start(emaStep, period, saved);
  }

  static wilder(period: number, saved?: SavedData): SmaSeededSmoothing {
    return SmaSeededSmoothing.start(wilderStep, period, saved);
  }

  private static start(step: Step, period: number, saved?: SavedData): SmaSeededSmoothing {
    if (!saved) return new SmaSeededSmoothing(step, period, 0, 0, null);
    return new SmaSeededSmoothing(step, period, saved.number('count'), saved.number('seedSum'), saved.numberOrNull('value'));
  }

  /** Adds a value; the smoothed value once `period` values are in, else NaN. */
  add(x: number): number {
    if (this.value !== null) {
      this.value = this.step(this.value, x, this.period);
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
