import { iso } from '@app/core';
import type { IndicatorContext, IndicatorKernel, IndicatorValues } from './definition/indicator-definition';
import { IncompatibleIndicatorStateError } from './definition/saved-data';
import type { IndicatorBar } from './indicator-bar';
import { INDICATORS } from './indicator-registry';
import type { JsonValue } from './json-value';
import type { IndicatorSpec } from './spec/indicator-spec';

/** Raised with each change to what a kernel saves or how it computes; older states are then refused. */
export const INDICATOR_STATE_VERSION = 1;

/** Where a computation stands after its last bar: plain JSON, to persist and resume from. */
export interface IndicatorState {
  readonly version: number;
  /** The canonical spec the state belongs to. */
  readonly key: string;
  /** Start (Unix ms) of the last bar folded in; null before any. */
  readonly lastTime: number | null;
  readonly data: JsonValue;
}

/**
 * One indicator over one series, bar by bar. Feeding bars one at a time, in batches, or
 * across a save and resume gives the same values bit for bit.
 */
export class RunningIndicator {
  /** Output names, in the order the catalogue lists them. */
  readonly outputs: readonly string[];
  private readonly row: Float64Array;

  private constructor(
    readonly spec: IndicatorSpec,
    private readonly kernel: IndicatorKernel,
    private lastTime: number | null,
  ) {
    this.outputs = INDICATORS[spec.name].outputs.map((output) => output.name);
    this.row = new Float64Array(this.outputs.length);
  }

  static start(spec: IndicatorSpec, context: IndicatorContext): RunningIndicator {
    return new RunningIndicator(spec, INDICATORS[spec.name].start(spec.params, context), null);
  }

  /** Continues after the bar `state` was taken at; throws IncompatibleIndicatorStateError if it cannot. */
  static resume(spec: IndicatorSpec, context: IndicatorContext, state: IndicatorState): RunningIndicator {
    if (state.version !== INDICATOR_STATE_VERSION) {
      throw new IncompatibleIndicatorStateError(
        `${spec.key}: saved state version ${state.version}, this code writes ${INDICATOR_STATE_VERSION}`,
      );
    }
    if (state.key !== spec.key) throw new IncompatibleIndicatorStateError(`${spec.key}: saved state belongs to ${state.key}`);
    return new RunningIndicator(spec, INDICATORS[spec.name].start(spec.params, context, state.data), state.lastTime);
  }

  /** Folds in the next bar, which must start after the last one; its values, null before each output's warm-up. */
  next(bar: IndicatorBar): IndicatorValues {
    const row = this.nextRow(bar);
    return Object.fromEntries(this.outputs.map((output, i) => [output, Number.isNaN(row[i]) ? null : row[i]]));
  }

  /** As next(), the values in `outputs` order with NaN for no value: a view, overwritten by the next bar. */
  nextRow(bar: IndicatorBar): Float64Array {
    if (this.lastTime !== null && !(bar.time > this.lastTime)) {
      throw new Error(`${this.spec.key}: bar at ${iso(bar.time)} does not follow the last bar fed (${iso(this.lastTime)})`);
    }
    this.lastTime = bar.time;
    this.kernel.next(bar, this.row);
    return this.row;
  }

  state(): IndicatorState {
    return { version: INDICATOR_STATE_VERSION, key: this.spec.key, lastTime: this.lastTime, data: this.kernel.snapshot() };
  }
}
