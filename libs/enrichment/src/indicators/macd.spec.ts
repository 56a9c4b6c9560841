import { barsFromCloses } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceMacd } from '../testing/reference-indicators';

describe('macd', () => {
  // macd:2:3:2 over 1, 2, 4, 8, 16. Slow k = 1/2, fast and signal k = 2/3.
  // Bar 2: slow seed (1 + 2 + 4) / 3 = 7/3; fast seed over the 2 closes ending there, (2 + 4) / 2 = 3;
  //   line 2/3 (a fast EMA seeded on bar 1, as a plain EMA(2) would be, would give 5/6 here).
  // Bar 3: slow 31/6, fast 19/3, line 7/6; signal seed (2/3 + 7/6) / 2 = 11/12; histogram 1/4.
  // Bar 4: slow 127/12, fast 115/9, line 79/36; signal 191/108; histogram 46/108.
  const { macd, signal, histogram } = valuesOf('macd:2:3:2', barsFromCloses([1, 2, 4, 8, 16]));

  it('starts the line on bar slow - 1, both EMAs seeded there (TA-Lib)', () => {
    expect(macd.slice(0, 2)).toEqual([null, null]);
    expect(macd[2]).toBeCloseTo(2 / 3, 14);
    expect(macd[3]).toBeCloseTo(7 / 6, 14);
    expect(macd[4]).toBeCloseTo(79 / 36, 14);
  });

  it('starts the signal and histogram on bar slow + signal - 2, the signal seeded with the SMA of the line', () => {
    expect(signal.slice(0, 3)).toEqual([null, null, null]);
    expect(histogram.slice(0, 3)).toEqual([null, null, null]);
    expect(signal[3]).toBeCloseTo(11 / 12, 14);
    expect(histogram[3]).toBeCloseTo(1 / 4, 14);
    expect(signal[4]).toBeCloseTo(191 / 108, 14);
    expect(histogram[4]).toBeCloseTo(46 / 108, 14);
  });

  it('agrees with a textbook implementation on the real SPY minutes', () => {
    const bars = spyBars();
    const expected = referenceMacd(
      bars.map((bar) => bar.close),
      12,
      26,
      9,
    );
    const actual = valuesOf('macd:12:26:9', bars);
    // The line is a small difference of two prices near 127: compare in price units.
    for (const output of ['macd', 'signal', 'histogram'] as const) expectSeriesClose(actual[output], expected[output], 1e-9);
  });
});
