import { barsFromCloses } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceRsi } from '../testing/reference-indicators';
import { referenceSeries } from '../testing/reference-series';

describe('rsi', () => {
  it('rounds to exactly what StockCharts prints for RSI(14) (8 decimals)', () => {
    const rows = referenceSeries('rsi-test.csv');
    const { value } = valuesOf('rsi:14', barsFromCloses(rows.map((row) => row.input)));
    const printed = rows.map((row, i) => (row.expected === null ? null : (value[i] as number).toFixed(8)));
    expect(printed).toEqual(rows.map((row) => row.expected));
  });

  it('first has a value on bar window: it needs window changes', () => {
    const { value } = valuesOf('rsi:2', barsFromCloses([10, 11, 10.5, 11.5]));
    // Changes +1, -0.5: gain 0.5, loss 0.25 -> 66.67. Then +1: gain (0.5 + 1) / 2, loss 0.25 / 2.
    expect(value[0]).toBeNull();
    expect(value[1]).toBeNull();
    expect(value[2]).toBeCloseTo(200 / 3, 12);
    expect(value[3]).toBeCloseTo(100 * (0.75 / (0.75 + 0.125)), 12);
  });

  it('is 100 with only gains and 0, as TA-Lib prints it, with no movement at all', () => {
    expect(valuesOf('rsi:3', barsFromCloses([1, 2, 3, 4, 5])).value.slice(3)).toEqual([100, 100]);
    expect(valuesOf('rsi:3', barsFromCloses([7, 7, 7, 7, 7])).value.slice(3)).toEqual([0, 0]);
  });

  it('agrees with a textbook Wilder RSI on the real SPY minutes', () => {
    const bars = spyBars();
    expectSeriesClose(
      valuesOf('rsi:14', bars).value,
      referenceRsi(
        bars.map((bar) => bar.close),
        14,
      ),
      1e-9,
    );
  });
});
