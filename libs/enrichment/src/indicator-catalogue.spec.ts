import { computeIndicator } from './compute-indicator';
import { describeIndicators, firstValueIndex, lookback } from './indicator-catalogue';
import { INDICATOR_NAMES } from './indicator-name';
import { sessionKeyFor } from './session';
import { parseIndicatorSpec } from './spec/parse-indicator-spec';
import { nullable, spyBars, TEST_FIELD } from './testing/compute';
import { firstValue } from './testing/expect-series';
import { SAMPLE_SPECS } from './testing/sample-specs';

describe('warm-up', () => {
  it.each(SAMPLE_SPECS)('%s: null exactly before the documented first value index, a value from there on', (text) => {
    const spec = parseIndicatorSpec(text, TEST_FIELD);
    const { values } = computeIndicator(spec, spyBars().slice(0, 1_000), { sessionOf: sessionKeyFor('SPY') });
    const expected = firstValueIndex(spec);
    for (const [output, column] of Object.entries(values)) {
      const series = nullable(column);
      expect([output, firstValue(series)]).toEqual([output, expected[output]]);
      expect(series.slice(expected[output]).includes(null)).toBe(false);
    }
    expect(lookback(spec)).toBe(Math.max(...Object.values(expected)));
  });

  it('spells out the formulas', () => {
    const spec = parseIndicatorSpec('macd:12:26:9', TEST_FIELD);
    expect(firstValueIndex(spec)).toEqual({ macd: 25, signal: 33, histogram: 33 });
    expect(firstValueIndex(parseIndicatorSpec('stoch:14:3:3', TEST_FIELD))).toEqual({ k: 15, d: 17 });
    expect(firstValueIndex(parseIndicatorSpec('rsi:14', TEST_FIELD))).toEqual({ value: 14 });
    expect(firstValueIndex(parseIndicatorSpec('atr:14', TEST_FIELD))).toEqual({ value: 14 });
  });
});

describe('describeIndicators', () => {
  const catalogue = describeIndicators();

  it('lists every indicator once, in order, as plain JSON', () => {
    expect(catalogue.map((entry) => entry.name)).toEqual([...INDICATOR_NAMES]);
    expect(JSON.parse(JSON.stringify(catalogue))).toEqual(catalogue);
  });

  it.each(describeIndicators())('$name: its default spec is canonical and its defaults lie within bounds', (entry) => {
    expect(parseIndicatorSpec(entry.name, TEST_FIELD).key).toBe(entry.defaultSpec);
    for (const parameter of entry.parameters) {
      expect(parameter.default).toBeLessThanOrEqual(parameter.max);
      expect(parameter.minExclusive ? parameter.default > parameter.min : parameter.default >= parameter.min).toBe(true);
    }
    expect(entry.outputs.length).toBeGreaterThan(0);
  });

  it('gives the issue defaults and the bounds that refuse window 0 and 10,001', () => {
    const byName = Object.fromEntries(catalogue.map((entry) => [entry.name, entry]));
    expect(['sma', 'ema', 'rsi', 'macd', 'bbands'].map((name) => byName[name].defaultSpec)).toEqual([
      'sma:20',
      'ema:20',
      'rsi:14',
      'macd:12:26:9',
      'bbands:20:2',
    ]);
    expect(byName.sma.parameters).toEqual([
      {
        name: 'window',
        description: 'Bars in the look-back window',
        type: 'integer',
        default: 20,
        min: 1,
        minExclusive: false,
        max: 10_000,
      },
    ]);
    expect(byName.bbands.parameters[1]).toMatchObject({
      name: 'multiplier',
      type: 'number',
      default: 2,
      min: 0,
      minExclusive: true,
      max: 10,
    });
    expect(byName.macd.outputs.map((output) => [output.name, output.warmup])).toEqual([
      ['macd', 'slow - 1'],
      ['signal', 'slow + signal - 2'],
      ['histogram', 'slow + signal - 2'],
    ]);
  });
});
