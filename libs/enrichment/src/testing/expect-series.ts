/**
 * Asserts two series agree: nulls in the same places, numbers within `tolerance` relative to
 * max(1, |expected|). Reports the first disagreement by index rather than a 14,000-line diff.
 */
export function expectSeriesClose(actual: readonly (number | null)[], expected: readonly (number | null)[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  const firstMismatch = expected.findIndex((want, i) => {
    const got = actual[i];
    if (want === null || got === null) return want !== got;
    return !(Math.abs(got - want) <= tolerance * Math.max(1, Math.abs(want)));
  });
  expect(firstMismatch === -1 ? 'agree' : `index ${firstMismatch}: got ${actual[firstMismatch]}, expected ${expected[firstMismatch]}`).toBe(
    'agree',
  );
}

/** Index of the first non-null value, or -1. */
export function firstValue(series: readonly (number | null)[]): number {
  return series.findIndex((value) => value !== null);
}
