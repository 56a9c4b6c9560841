import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndicatorBar } from './indicator-bar';
import { valuesOf } from './testing/compute';
import { expectSeriesClose, firstValue } from './testing/expect-series';

/** TA-Lib's own output over 500 real SPY minutes (see test-fixtures/generate-talib-reference.cjs). */
interface TaLibReference {
  readonly source: string;
  readonly bars: readonly (readonly [number, number, number, number, number])[];
  readonly values: Readonly<Record<string, Readonly<Record<string, (number | null)[]>>>>;
}

const reference = JSON.parse(readFileSync(join(__dirname, '../test-fixtures/talib-spy-1m.json'), 'utf8')) as TaLibReference;
const bars: IndicatorBar[] = reference.bars.map(([time, high, low, close, volume]) => ({ time, high, low, close, volume }));

/** Where we follow TA-Lib's arithmetic step for step, and where we sum a window afresh (SimpleAverage) or take BBANDS' deviation in two passes. */
const TOLERANCE: Record<string, number> = {
  'ema:20': 0,
  'rsi:14': 0,
  'macd:12:26:9': 0,
  'atr:14': 0,
  obv: 0,
  'sma:20': 1e-13,
  'wma:20': 1e-11,
  'stoch:14:3:3': 1e-12,
  'bbands:20:2': 1e-9,
};

/** Outputs we give from their own warm-up where TA-Lib waits for the indicator's last output. */
const EARLIER_THAN_TA_LIB: Record<string, number> = { 'macd:12:26:9.macd': 25, 'stoch:14:3:3.k': 15 };

describe(`against ${reference.source}`, () => {
  it('covers every indicator TA-Lib has (VWAP it has not)', () => {
    expect(Object.keys(reference.values).sort()).toEqual(Object.keys(TOLERANCE).sort());
  });

  describe.each(Object.entries(reference.values))('%s', (spec, outputs) => {
    const ours = valuesOf(spec, bars);

    it.each(Object.keys(outputs))(TOLERANCE[spec] === 0 ? '%s: bit for bit' : `%s: within ${TOLERANCE[spec]} relative`, (output) => {
      const taLib = outputs[output];
      const start = firstValue(taLib);
      const ownStart = EARLIER_THAN_TA_LIB[`${spec}.${output}`] ?? start;
      expect(firstValue(ours[output])).toBe(ownStart);
      if (TOLERANCE[spec] === 0) expect(ours[output].slice(start)).toEqual(taLib.slice(start));
      else expectSeriesClose(ours[output].slice(start), taLib.slice(start), TOLERANCE[spec]);
    });
  });
});
