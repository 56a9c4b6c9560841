import { barsFromRows } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceStochastic } from '../testing/reference-indicators';

describe('stoch', () => {
  it('smooths fast %K into %K and %K into %D with simple averages', () => {
    // [high, low, close, volume]. Fast %K over 3 bars: bar 2 (11 - 8) / (12 - 8) = 75, bar 3 (9 - 9) / (12 - 9) = 0,
    // bar 4 (13 - 9) / (13 - 9) = 100, bar 5 100. %K (2): 37.5, 50, 100. %D (2): 43.75, 75.
    const { k, d } = valuesOf(
      'stoch:3:2:2',
      barsFromRows([
        [10, 8, 9, 1],
        [11, 9, 10, 1],
        [12, 10, 11, 1],
        [11, 9, 9, 1],
        [13, 11, 13, 1],
        [13, 13, 13, 1],
      ]),
    );
    expect(k.slice(0, 3)).toEqual([null, null, null]);
    [37.5, 50, 100].forEach((value, i) => expect(k[i + 3]).toBeCloseTo(value, 12));
    expect(d.slice(0, 4)).toEqual([null, null, null, null]);
    [43.75, 75].forEach((value, i) => expect(d[i + 4]).toBeCloseTo(value, 12));
  });

  it('reads 0 when the window has no range, as TA-Lib does', () => {
    const flat = barsFromRows(Array.from({ length: 5 }, () => [5, 5, 5, 1] as const));
    expect(valuesOf('stoch:2:2:2', flat).k.slice(2)).toEqual([0, 0, 0]);
  });

  it('agrees with a textbook implementation on the real SPY minutes', () => {
    const bars = spyBars();
    const expected = referenceStochastic(bars, 14, 3, 3);
    const actual = valuesOf('stoch:14:3:3', bars);
    expectSeriesClose(actual.k, expected.k, 1e-9);
    expectSeriesClose(actual.d, expected.d, 1e-9);
  });
});
