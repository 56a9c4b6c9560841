import { barsFromCloses } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceEma } from '../testing/reference-indicators';
import { referenceSeries } from '../testing/reference-series';

describe('ema', () => {
  it('rounds to exactly what StockCharts prints for EMA(10) (5 decimals)', () => {
    const rows = referenceSeries('sc-ema-10.csv');
    const { value } = valuesOf('ema:10', barsFromCloses(rows.map((row) => row.input)));
    const printed = rows.map((row, i) => (row.expected === null ? null : (value[i] as number).toFixed(5)));
    expect(printed).toEqual(rows.map((row) => row.expected));
  });

  it('is seeded with the SMA of the first window closes, bit for bit the sma value there', () => {
    const bars = spyBars().slice(0, 100);
    expect(valuesOf('ema:10', bars).value[9]).toBe(valuesOf('sma:10', bars).value[9]);
  });

  it('steps by (close - ema) * 2 / (window + 1) after the seed', () => {
    // window 3, k = 0.5: seed (1 + 2 + 3) / 3 = 2; then (7 - 2) * 0.5 + 2 = 4.5; (4.5 - 4.5) * 0.5 + 4.5.
    expect(valuesOf('ema:3', barsFromCloses([1, 2, 3, 7, 4.5])).value).toEqual([null, null, 2, 4.5, 4.5]);
  });

  it('agrees with a textbook SMA-seeded EMA on the real SPY minutes', () => {
    const bars = spyBars();
    expectSeriesClose(
      valuesOf('ema:20', bars).value,
      referenceEma(
        bars.map((bar) => bar.close),
        20,
      ),
      1e-12,
    );
  });
});
