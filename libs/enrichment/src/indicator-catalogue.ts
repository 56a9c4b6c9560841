import type { IndicatorMemory, OutputDefinition, ParameterDefinition } from './definition/indicator-definition';
import { INDICATOR_NAMES, type IndicatorName } from './indicator-name';
import { INDICATORS } from './indicator-registry';
import type { IndicatorSpec } from './spec/indicator-spec';

/** One indicator as `GET /api/v1/indicators` lists it: plain JSON. */
export interface IndicatorDescription {
  readonly name: IndicatorName;
  readonly title: string;
  /** The canonical spec with every parameter at its default, e.g. `macd:12:26:9`. */
  readonly defaultSpec: string;
  readonly inputs: readonly string[];
  readonly parameters: readonly ParameterDefinition[];
  readonly outputs: readonly OutputDefinition[];
  readonly memory: IndicatorMemory;
  readonly reference: string;
}

export function describeIndicators(): IndicatorDescription[] {
  return INDICATOR_NAMES.map((name) => {
    const { title, inputs, parameters, outputs, memory, reference } = INDICATORS[name];
    const defaultSpec = [name, ...parameters.map((parameter) => String(parameter.default))].join(':');
    return { name, title, defaultSpec, inputs, parameters, outputs, memory, reference };
  });
}

/** Per output name, the 0-based index of the first bar with a value. */
export function firstValueIndex(spec: IndicatorSpec): Readonly<Record<string, number>> {
  const definition = INDICATORS[spec.name];
  const indexes = definition.firstValueIndex(spec.params);
  return Object.fromEntries(definition.outputs.map((output, i) => [output.name, indexes[i]]));
}

/** Bars before the first bar where every output has a value. */
export function lookback(spec: IndicatorSpec): number {
  return Math.max(...INDICATORS[spec.name].firstValueIndex(spec.params));
}

export function memoryOf(spec: IndicatorSpec): IndicatorMemory {
  return INDICATORS[spec.name].memory;
}
