import { computeIndicator } from './compute-indicator';
import type { IndicatorContext } from './definition/indicator-definition';
import { IncompatibleIndicatorStateError } from './definition/saved-data';
import type { IndicatorBar } from './indicator-bar';
import { lookback, memoryOf } from './indicator-catalogue';
import { type IndicatorState, RunningIndicator } from './running-indicator';
import { sessionKeyFor } from './session';
import { parseIndicatorSpec } from './spec/parse-indicator-spec';
import { nullable, spyBars, TEST_FIELD } from './testing/compute';
import { SAMPLE_SPECS } from './testing/sample-specs';

const context: IndicatorContext = { sessionOf: sessionKeyFor('SPY') };
/** Four days of real minutes: enough for every sample spec's warm-up and a few session changes. */
const bars = spyBars().slice(0, 3_000);

/** Through text and back, as a database column would keep it. */
const persisted = (state: IndicatorState): IndicatorState => JSON.parse(JSON.stringify(state)) as IndicatorState;

/** Values of a run that stops after every cut, persists its state and resumes. */
function computeInChunks(text: string, input: readonly IndicatorBar[], cuts: readonly number[]): Record<string, Float64Array> {
  const spec = parseIndicatorSpec(text, TEST_FIELD);
  const columns: Record<string, number[]> = {};
  let state: IndicatorState | undefined;
  [0, ...cuts].forEach((from, i) => {
    const chunk = computeIndicator(spec, input.slice(from, cuts[i] ?? input.length), context, state && persisted(state));
    for (const [output, values] of Object.entries(chunk.values)) (columns[output] ??= []).push(...values);
    state = chunk.state;
  });
  return Object.fromEntries(Object.entries(columns).map(([output, values]) => [output, Float64Array.from(values)]));
}

function revise(input: readonly IndicatorBar[], index: number): IndicatorBar[] {
  const revised = [...input];
  const bar = input[index];
  revised[index] = { ...bar, close: bar.close + 0.05, high: bar.high + 0.05, volume: bar.volume + 1_000 };
  return revised;
}

describe.each(SAMPLE_SPECS)('%s, computed incrementally', (text) => {
  const spec = parseIndicatorSpec(text, TEST_FIELD);
  const batch = computeIndicator(spec, bars, context);

  it('gives the batch values bit for bit when fed in chunks across persisted states', () => {
    expect(computeInChunks(text, bars, [1, 2, 17, 400, 401, 1_999])).toEqual(batch.values);
  });

  it('gives the batch values bit for bit when resumed after every single bar', () => {
    let state: IndicatorState | undefined;
    const rows = bars.slice(0, 120).map((bar) => {
      const indicator = state ? RunningIndicator.resume(spec, context, persisted(state)) : RunningIndicator.start(spec, context);
      const row = indicator.next(bar);
      state = indicator.state();
      return row;
    });
    for (const [output, values] of Object.entries(batch.values))
      expect(rows.map((row) => row[output])).toEqual(nullable(values.slice(0, 120)));
  });

  it('after a revised bar, resuming from the state saved before it reproduces a full recomputation exactly', () => {
    const revisedAt = 1_500;
    const revised = revise(bars, revisedAt);
    const savedBefore = computeIndicator(spec, bars.slice(0, revisedAt), context).state;
    const resumed = computeIndicator(spec, revised.slice(revisedAt), context, persisted(savedBefore));
    const full = computeIndicator(spec, revised, context);
    for (const [output, values] of Object.entries(full.values)) {
      expect(values.slice(0, revisedAt)).toEqual(batch.values[output].slice(0, revisedAt));
      expect(resumed.values[output]).toEqual(values.slice(revisedAt));
    }
    expect(resumed.state).toEqual(full.state);
  });

  if (memoryOf(spec) === 'window') {
    it('depends only on its window: a revised bar changes exactly the values whose window holds it', () => {
      const revisedAt = 1_500;
      const full = computeIndicator(spec, revise(bars, revisedAt), context);
      for (const [output, values] of Object.entries(full.values)) {
        const changed = Array.from(values).flatMap((value, i) => (Object.is(value, batch.values[output][i]) ? [] : [i]));
        expect(changed[0]).toBe(revisedAt);
        expect(changed[changed.length - 1]).toBeLessThanOrEqual(revisedAt + lookback(spec));
      }
    });

    it('is reproduced bit for bit from the lookback bars before a point, without any saved state', () => {
      const from = 2_000;
      const replayed = computeIndicator(spec, bars.slice(from - lookback(spec)), context);
      for (const [output, values] of Object.entries(batch.values))
        expect(replayed.values[output].slice(lookback(spec))).toEqual(values.slice(from));
    });
  }
});

describe('revision of series-memory indicators', () => {
  it('changes every later EMA value until the change fades below float resolution, where an SMA changes only the next window values', () => {
    const revisedAt = 1_500;
    const revised = revise(bars, revisedAt);
    const changedFrom = (text: string) => {
      const spec = parseIndicatorSpec(text, TEST_FIELD);
      const before = computeIndicator(spec, bars, context).values.value;
      const after = computeIndicator(spec, revised, context).values.value;
      return Array.from(after).flatMap((value, i) => (Object.is(value, before[i]) ? [] : [i]));
    };
    // The revision's weight shrinks by 19/21 a bar; some 260 bars on it is below half an ulp of the price.
    const ema = changedFrom('ema:20');
    expect(ema).toEqual(Array.from({ length: ema.length }, (_, i) => revisedAt + i));
    expect(ema.length).toBeGreaterThan(200);
    expect(changedFrom('sma:20')).toEqual(Array.from({ length: 20 }, (_, i) => revisedAt + i));
  });
});

describe('RunningIndicator', () => {
  const sma = parseIndicatorSpec('sma:3', TEST_FIELD);

  it('refuses a bar that does not start after the last one fed', () => {
    const indicator = RunningIndicator.start(sma, context);
    indicator.next(bars[1]);
    expect(() => indicator.next(bars[1])).toThrow(
      'sma:3: bar at 2011-01-03T09:01:00.000Z does not follow the last bar fed (2011-01-03T09:01:00.000Z)',
    );
    expect(() => indicator.next(bars[0])).toThrow('does not follow the last bar fed');
  });

  it('carries the last bar time in its state, so a resumed run refuses to go back', () => {
    const { state } = computeIndicator(sma, bars.slice(0, 10), context);
    expect(state.lastTime).toBe(bars[9].time);
    expect(() => computeIndicator(sma, bars.slice(5), context, state)).toThrow('does not follow the last bar fed');
  });

  it('refuses a state saved for another spec, by another version, or damaged', () => {
    const { state } = computeIndicator(sma, bars.slice(0, 10), context);
    const expectRefused = (resume: () => unknown, message: string) => {
      expect(resume).toThrow(IncompatibleIndicatorStateError);
      expect(resume).toThrow(message);
    };
    expectRefused(
      () => RunningIndicator.resume(parseIndicatorSpec('sma:4', TEST_FIELD), context, state),
      'sma:4: saved state belongs to sma:3',
    );
    expectRefused(
      () => RunningIndicator.resume(sma, context, { ...state, version: 0 }),
      'sma:3: saved state version 0, this code writes 1',
    );
    expectRefused(() => RunningIndicator.resume(sma, context, { ...state, data: [1, 2] }), 'sma: saved state is not an object');
    expectRefused(
      () => RunningIndicator.resume(sma, context, { ...state, data: { window: [1, 2, 3, 4] } }),
      'sma: saved "window" is not a list of at most 3 numbers',
    );
    const macd = parseIndicatorSpec('macd', TEST_FIELD);
    const macdState = computeIndicator(macd, bars.slice(0, 40), context).state;
    expectRefused(
      () => RunningIndicator.resume(macd, context, { ...macdState, data: { bars: 40 } }),
      'macd.fast: saved state is not an object',
    );
  });

  it('lists its outputs in catalogue order', () => {
    expect(RunningIndicator.start(parseIndicatorSpec('macd', TEST_FIELD), context).outputs).toEqual(['macd', 'signal', 'histogram']);
    expect(RunningIndicator.start(parseIndicatorSpec('bbands', TEST_FIELD), context).outputs).toEqual(['upper', 'middle', 'lower']);
  });
});
