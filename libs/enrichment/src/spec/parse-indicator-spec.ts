import { InvalidFieldError } from '@app/core';
import type { ParameterDefinition } from '../definition/indicator-definition';
import { INDICATOR_NAMES, type IndicatorName } from '../indicator-name';
import { INDICATORS } from '../indicator-registry';
import type { IndicatorSpec } from './indicator-spec';

/** The most indicators one request may ask for. */
export const MAX_INDICATORS_PER_REQUEST = 10;

const WHOLE_NUMBER = /^\d+$/;
const DECIMAL_NUMBER = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * Reads `name[:param...]` (e.g. `sma:20`, `macd:12:26:9`, `obv`) into its canonical spec.
 * Omitted trailing parameters take their defaults. Anything refused throws InvalidFieldError
 * on `field`, saying what is wrong and what is allowed.
 */
export function parseIndicatorSpec(text: string, field: string): IndicatorSpec {
  const entry = text.trim();
  const [rawName, ...args] = entry.toLowerCase().split(':');
  if (!isIndicatorName(rawName)) {
    throw new InvalidFieldError(field, `"${entry}": unknown indicator "${rawName}"; known: ${INDICATOR_NAMES.join(', ')}`);
  }
  const definition = INDICATORS[rawName];
  const { parameters } = definition;
  if (args.length > parameters.length) {
    throw new InvalidFieldError(field, `"${entry}": ${rawName} ${takes(parameters)}, got ${args.length}`);
  }
  const params = parameters.map((parameter, i) => (i < args.length ? parseParameter(args[i], parameter, entry, field) : parameter.default));
  const refusal = definition.refuse?.(params);
  if (refusal) throw new InvalidFieldError(field, `"${entry}": ${refusal}`);
  return { name: rawName, params, key: [rawName, ...params.map(String)].join(':') };
}

/**
 * Reads a list of specs: a comma-separated text (a query parameter, an environment variable)
 * or an array (a JSON body). A blank text or an empty array is an empty list; an empty entry
 * inside a list is refused. Entries naming the same canonical spec are kept once, first
 * position; more than `maxCount` distinct specs are refused.
 */
export function parseIndicatorList(
  input: string | readonly string[],
  field: string,
  maxCount = MAX_INDICATORS_PER_REQUEST,
): IndicatorSpec[] {
  const entries = typeof input === 'string' ? (input.trim() === '' ? [] : input.split(',')) : input;
  const byKey = new Map<string, IndicatorSpec>();
  entries.forEach((entry, i) => {
    if (entry.trim() === '') throw new InvalidFieldError(field, `entry ${i + 1} is empty; expected an indicator such as sma:20`);
    const spec = parseIndicatorSpec(entry, field);
    if (!byKey.has(spec.key)) byKey.set(spec.key, spec);
  });
  if (byKey.size > maxCount) throw new InvalidFieldError(field, `at most ${maxCount} indicators are allowed, got ${byKey.size}`);
  return [...byKey.values()];
}

function isIndicatorName(name: string): name is IndicatorName {
  return (INDICATOR_NAMES as readonly string[]).includes(name);
}

function takes(parameters: readonly ParameterDefinition[]): string {
  if (parameters.length === 0) return 'takes no parameters';
  const names = parameters.map((parameter) => parameter.name).join(', ');
  return `takes at most ${parameters.length} parameter${parameters.length === 1 ? '' : 's'} (${names})`;
}

function parseParameter(raw: string, parameter: ParameterDefinition, entry: string, field: string): number {
  const pattern = parameter.type === 'integer' ? WHOLE_NUMBER : DECIMAL_NUMBER;
  const value = Number(raw);
  const allowed = pattern.test(raw) && value <= parameter.max && (parameter.minExclusive ? value > parameter.min : value >= parameter.min);
  if (!allowed) throw new InvalidFieldError(field, `"${entry}": ${parameter.name} must be ${allowedRange(parameter)}, got "${raw}"`);
  return value;
}

function allowedRange(parameter: ParameterDefinition): string {
  const max = parameter.max.toLocaleString('en-US');
  if (parameter.type === 'integer') return `a whole number from ${parameter.min.toLocaleString('en-US')} to ${max}`;
  return `a number ${parameter.minExclusive ? 'greater than' : 'at least'} ${parameter.min} and at most ${max}`;
}
