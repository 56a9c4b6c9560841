import { spyMinuteCandles } from '@app/polygon/testing';
import { computeIndicator } from '../compute-indicator';
import type { IndicatorBar } from '../indicator-bar';
import { type SessionKey, sessionKeyFor } from '../session';
import { parseIndicatorSpec } from '../spec/parse-indicator-spec';

export const TEST_FIELD = 'indicators';

/** The values of one indicator, given as text, over `bars`, with null for no value as the API shows them. */
export function valuesOf(
  text: string,
  bars: readonly IndicatorBar[],
  sessionOf: SessionKey = sessionKeyFor('SPY'),
): Record<string, (number | null)[]> {
  const { values } = computeIndicator(parseIndicatorSpec(text, TEST_FIELD), bars, { sessionOf });
  return Object.fromEntries(Object.entries(values).map(([output, column]) => [output, nullable(column)]));
}

/** NaN (no value yet) as null. */
export function nullable(column: Float64Array): (number | null)[] {
  return Array.from(column, (value) => (Number.isNaN(value) ? null : value));
}

let spy: IndicatorBar[] | undefined;

/** The real SPY one-minute bars of January 2011 (14,180, extended hours), as indicator input. */
export function spyBars(): readonly IndicatorBar[] {
  spy ??= spyMinuteCandles();
  return spy;
}
