import type { IndicatorBar } from '../indicator-bar';
import type { IndicatorName } from '../indicator-name';
import type { JsonValue } from '../json-value';
import type { SessionKey } from '../session';

/** One value of one bar per output name; null until that output's warm-up is met. */
export type IndicatorValues = Readonly<Record<string, number | null>>;

/** What an indicator needs besides the bars: only VWAP reads it, to know where a session starts. */
export interface IndicatorContext {
  readonly sessionOf: SessionKey;
}

/** An indicator's running computation: every bar so far folded into a state that serialises to JSON. */
export interface IndicatorKernel {
  /**
   * Folds in the next bar and writes each output's value into `row`, in `outputs` order: NaN
   * while the output has no value yet (as TA-Lib's Python wrapper prints it), so a batch run
   * fills plain Float64Arrays instead of boxing a number per value.
   */
  next(bar: IndicatorBar, row: Float64Array): void;
  /** Everything needed to continue after the last bar, as plain JSON. */
  snapshot(): JsonValue;
}

export interface ParameterDefinition {
  readonly name: string;
  readonly description: string;
  readonly type: 'integer' | 'number';
  readonly default: number;
  readonly min: number;
  /** True when `min` itself is refused (a multiplier must be positive). */
  readonly minExclusive: boolean;
  readonly max: number;
}

export interface OutputDefinition {
  readonly name: string;
  readonly description: string;
  /** The 0-based index of the first bar with a value, as a formula of the parameters. */
  readonly warmup: string;
}

/**
 * How much of the past a value depends on: `window` - only the last `lookback + 1` bars, so
 * replaying those reproduces it exactly; `session` - the bars since the session started;
 * `series` - every bar since the first one fed (recursive smoothing or a running total), so
 * it is reproduced exactly only from the saved state or from the series' first bar.
 */
export type IndicatorMemory = 'window' | 'session' | 'series';

export interface IndicatorDefinition {
  readonly name: IndicatorName;
  readonly title: string;
  readonly inputs: readonly ('high' | 'low' | 'close' | 'volume')[];
  readonly parameters: readonly ParameterDefinition[];
  readonly outputs: readonly OutputDefinition[];
  readonly memory: IndicatorMemory;
  /** The TA-Lib function (and its conventions) the values follow. */
  readonly reference: string;
  /** A rule across parameters: why this combination is refused, or null when it is fine. */
  readonly refuse?: (params: readonly number[]) => string | null;
  /** Per output, in `outputs` order: the 0-based index of the first bar with a value. */
  firstValueIndex(params: readonly number[]): readonly number[];
  /** A fresh computation, or one continuing from a kernel snapshot. */
  start(params: readonly number[], context: IndicatorContext, saved?: JsonValue): IndicatorKernel;
}

/** The usual look-back window parameter: a bar count from `min` to 10,000. */
export function windowParameter(defaults: { default: number; min: number; name?: string; description?: string }): ParameterDefinition {
  return {
    name: defaults.name ?? 'window',
    description: defaults.description ?? 'Bars in the look-back window',
    type: 'integer',
    default: defaults.default,
    min: defaults.min,
    minExclusive: false,
    max: MAX_WINDOW,
  };
}

/** The longest window any indicator takes (TA-Lib allows 100,000; a year of 1m bars is about 242,000). */
export const MAX_WINDOW = 10_000;
