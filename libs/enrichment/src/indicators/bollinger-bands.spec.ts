import { barsFromCloses } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceBollinger } from '../testing/reference-indicators';

describe('bbands', () => {
  it('sits multiplier population standard deviations around the SMA', () => {
    // Window 1..5: mean 3, population variance 2 (a sample variance would be 2.5).
    // Window 2, 3, 4, 5, 11: mean 5, squares 9 + 4 + 1 + 0 + 36 = 50, variance 10.
    const { upper, middle, lower } = valuesOf('bbands:5:2', barsFromCloses([1, 2, 3, 4, 5, 11]));
    expect(middle).toEqual([null, null, null, null, 3, 5]);
    expect(upper.slice(0, 4)).toEqual([null, null, null, null]);
    expect(upper[4]).toBeCloseTo(3 + 2 * Math.SQRT2, 14);
    expect(lower[4]).toBeCloseTo(3 - 2 * Math.SQRT2, 14);
    expect(upper[5]).toBeCloseTo(5 + 2 * Math.sqrt(10), 13);
    expect(lower[5]).toBeCloseTo(5 - 2 * Math.sqrt(10), 13);
  });

  it('takes a fractional multiplier', () => {
    const { upper } = valuesOf('bbands:5:1.5', barsFromCloses([1, 2, 3, 4, 5]));
    expect(upper[4]).toBeCloseTo(3 + 1.5 * Math.SQRT2, 14);
  });

  it('collapses onto the middle band when the window is flat', () => {
    const { upper, middle, lower } = valuesOf('bbands:3:2', barsFromCloses([4.2, 4.2, 4.2]));
    expect([upper[2], middle[2], lower[2]]).toEqual([4.2, 4.2, 4.2]);
  });

  it('has a middle band equal bit for bit to sma:window', () => {
    const bars = spyBars();
    expect(valuesOf('bbands:20:2', bars).middle).toEqual(valuesOf('sma:20', bars).value);
  });

  it('agrees with a textbook implementation on the real SPY minutes', () => {
    const bars = spyBars();
    const expected = referenceBollinger(
      bars.map((bar) => bar.close),
      20,
      2,
    );
    const actual = valuesOf('bbands:20:2', bars);
    for (const output of ['upper', 'middle', 'lower'] as const) expectSeriesClose(actual[output], expected[output], 1e-12);
  });
});
