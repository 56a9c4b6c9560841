import { barsFromCloses } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceWma } from '../testing/reference-indicators';

describe('wma', () => {
  it('weights the window 1 (oldest) .. window (newest) over window * (window + 1) / 2', () => {
    // (1*1 + 2*2 + 3*3) / 6, (2*1 + 3*2 + 4*3) / 6, (3*1 + 4*2 + 8*3) / 6
    expect(valuesOf('wma:3', barsFromCloses([1, 2, 3, 4, 8])).value).toEqual([null, null, 14 / 6, 20 / 6, 35 / 6]);
  });

  it('is the close itself with a window of 1, as TA-Lib gives it', () => {
    const bars = spyBars().slice(0, 50);
    expect(valuesOf('wma:1', bars).value).toEqual(bars.map((bar) => bar.close));
  });

  it('agrees with a textbook WMA on the real SPY minutes', () => {
    const bars = spyBars();
    expectSeriesClose(
      valuesOf('wma:20', bars).value,
      referenceWma(
        bars.map((bar) => bar.close),
        20,
      ),
      1e-12,
    );
  });
});
