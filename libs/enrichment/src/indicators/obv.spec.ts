import { barsFromRows } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { referenceObv } from '../testing/reference-indicators';

describe('obv', () => {
  it('starts at the first volume and adds up-close volume, subtracts down-close volume', () => {
    const bars = barsFromRows([
      [10, 10, 10, 100],
      [11, 11, 11, 200],
      [11, 11, 11, 300],
      [10, 10, 10, 400],
      [12, 12, 12, 500],
    ]);
    expect(valuesOf('obv', bars).value).toEqual([100, 300, 300, -100, 400]);
  });

  it('agrees with a textbook OBV on the real SPY minutes, exactly (whole volumes)', () => {
    const bars = spyBars();
    expect(valuesOf('obv', bars).value).toEqual(referenceObv(bars));
  });
});
