import { computeIndicator, type IndicatorBar, parseIndicatorSpec, sessionKeyFor } from '@app/enrichment';
import type { IndicatorValue } from '@app/market-data';

/** One indicator computed over `bars` in one go: per output, one value per bar, null where there is none yet. */
export function batchOutputs(key: string, bars: readonly IndicatorBar[], symbol = 'AAPL'): (number | null)[][] {
  const { values } = computeIndicator(parseIndicatorSpec(key, 'test'), bars, { sessionOf: sessionKeyFor(symbol) });
  return Object.values(values).map((column) => Array.from(column, (v) => (Number.isNaN(v) ? null : v)));
}

/** The same as the routes print it per bar: a number, or an object by output name. */
export function batch(key: string, bars: readonly IndicatorBar[], symbol = 'AAPL'): IndicatorValue[] {
  const { values } = computeIndicator(parseIndicatorSpec(key, 'test'), bars, { sessionOf: sessionKeyFor(symbol) });
  const outputs = Object.keys(values);
  const at = (output: string, i: number) => (Number.isNaN(values[output][i]) ? null : values[output][i]);
  return bars.map((_, i) =>
    outputs.length === 1 ? at(outputs[0], i) : Object.fromEntries(outputs.map((output) => [output, at(output, i)])),
  );
}
