import { barsFromCloses } from '../testing/bars';
import { spyBars, valuesOf } from '../testing/compute';
import { expectSeriesClose } from '../testing/expect-series';
import { referenceSma } from '../testing/reference-indicators';
import { printedDecimals, referenceSeries } from '../testing/reference-series';

describe('sma', () => {
  it.each([
    ['sc-sma-10.csv', 'sma:10', 'StockCharts, rounded to 2 decimals'],
    ['nt-sma-15.csv', 'sma:15', 'NinjaTrader, 13 decimals, sometimes truncated'],
  ])('matches %s (%s) to the last printed decimal (%s)', (file, spec) => {
    const rows = referenceSeries(file);
    const { value } = valuesOf(spec, barsFromCloses(rows.map((row) => row.input)));
    rows.forEach((row, i) => {
      if (row.expected === null) return expect(value[i]).toBeNull();
      // NinjaTrader truncates some values (up to one unit off in the last place) and its running
      // sum drifts by ~1e-14 (32.924 prints as 32.9239999999999): allow a unit and a half.
      const unit = 10 ** -printedDecimals(row.expected);
      expect(Math.abs((value[i] as number) - Number(row.expected))).toBeLessThanOrEqual(1.5 * unit);
    });
  });

  it('rounds to exactly what StockCharts prints', () => {
    const rows = referenceSeries('sc-sma-10.csv');
    const { value } = valuesOf('sma:10', barsFromCloses(rows.map((row) => row.input)));
    const printed = rows.map((row, i) => (row.expected === null ? null : (value[i] as number).toFixed(2)));
    expect(printed).toEqual(rows.map((row) => row.expected));
  });

  it('is null for the first window - 1 bars, then the mean of the window', () => {
    expect(valuesOf('sma:3', barsFromCloses([1, 2, 3, 4, 10])).value).toEqual([null, null, 2, 3, 17 / 3]);
  });

  it('agrees with a textbook SMA on the real SPY minutes', () => {
    const bars = spyBars();
    expectSeriesClose(
      valuesOf('sma:20', bars).value,
      referenceSma(
        bars.map((bar) => bar.close),
        20,
      ),
      1e-12,
    );
  });

  it('depends only on its window: a bar changed long ago leaves the value bit for bit as it was', () => {
    const closes = spyBars()
      .slice(0, 300)
      .map((bar) => bar.close);
    const revised = [...closes];
    revised[10] += 0.37;
    const before = valuesOf('sma:20', barsFromCloses(closes)).value;
    const after = valuesOf('sma:20', barsFromCloses(revised)).value;
    const changed = before.flatMap((value, i) => (Object.is(value, after[i]) ? [] : [i]));
    expect(changed).toEqual(Array.from({ length: 20 }, (_, i) => 19 + i).filter((i) => i >= 10 && i < 30));
  });
});
