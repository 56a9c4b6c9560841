import { barsFromRows } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceAtr } from '../testing/reference-indicators';

describe('atr', () => {
  // [high, low, close, volume]; true ranges from bar 1: 2 (|9 - 11|), 0.8 (high - low), 1.8 (gap up, |10.2 - 12|), 2.8 (gap down, |11.8 - 9|).
  const bars = barsFromRows([
    [10, 8, 9, 1],
    [11, 10, 10.5, 1],
    [10.8, 10, 10.2, 1],
    [12, 11.5, 11.8, 1],
    [11, 9, 9.5, 1],
  ]);

  it('seeds on bar window with the mean true range of bars 1..window, bar 0 having no previous close', () => {
    const { value } = valuesOf('atr:2', bars);
    expect(value.slice(0, 2)).toEqual([null, null]);
    expect(value[2]).toBeCloseTo((2 + 0.8) / 2, 14);
  });

  it('then smooths the Wilder way: (atr * (window - 1) + tr) / window', () => {
    const { value } = valuesOf('atr:2', bars);
    expect(value[3]).toBeCloseTo((1.4 + 1.8) / 2, 14);
    expect(value[4]).toBeCloseTo((1.6 + 2.8) / 2, 14);
  });

  it('is the true range itself with a window of 1 (TA-Lib TRANGE)', () => {
    const { value } = valuesOf('atr:1', bars);
    expect(value[0]).toBeNull();
    [2, 0.8, 1.8, 2.8].forEach((range, i) => expect(value[i + 1]).toBeCloseTo(range, 14));
  });

  it('agrees with a textbook Wilder ATR on the real SPY minutes', () => {
    const spy = spyBars();
    expectSeriesClose(valuesOf('atr:14', spy).value, referenceAtr(spy, 14), 1e-9);
  });
});
