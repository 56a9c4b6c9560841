import type { IndicatorContext } from './definition/indicator-definition';
import type { IndicatorBar } from './indicator-bar';
import { type IndicatorState, RunningIndicator } from './running-indicator';
import type { IndicatorSpec } from './spec/indicator-spec';

export interface ComputedIndicator {
  /** Per output name, one value per bar given: NaN where the output has no value yet (its warm-up). */
  readonly values: Readonly<Record<string, Float64Array>>;
  /** Where the computation stands after the last bar, to resume from. */
  readonly state: IndicatorState;
}

/** One indicator over an array of bars (ascending), fresh or continuing from a saved state. */
export function computeIndicator(
  spec: IndicatorSpec,
  bars: readonly IndicatorBar[],
  context: IndicatorContext,
  from?: IndicatorState,
): ComputedIndicator {
  const indicator = from ? RunningIndicator.resume(spec, context, from) : RunningIndicator.start(spec, context);
  const columns = indicator.outputs.map(() => new Float64Array(bars.length));
  for (let i = 0; i < bars.length; i++) {
    const row = indicator.nextRow(bars[i]);
    for (let output = 0; output < columns.length; output++) columns[output][i] = row[output];
  }
  const values = Object.fromEntries(indicator.outputs.map((output, i) => [output, columns[i]]));
  return { values, state: indicator.state() };
}
