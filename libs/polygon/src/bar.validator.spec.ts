import { Timeframe } from '@app/core';
import { ProviderBadPayloadError } from '@app/provider';
import type { RawAggregate } from './aggregates-response.parser';
import { PageContext, validatePage } from './bar.validator';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const context: PageContext = { symbol: 'AAPL', timeframe: Timeframe.of('1m'), requestId: 'req-123' };

function bar(overrides: Partial<Record<'o' | 'h' | 'l' | 'c' | 'v' | 't' | 'vw' | 'n', unknown>> = {}): RawAggregate {
  return { v: 1200, vw: 10.05, o: 10, c: 10.1, h: 10.2, l: 9.9, t: T0, n: 17, ...overrides };
}

function rejection(results: RawAggregate[], pageContext: PageContext = context): ProviderBadPayloadError {
  try {
    validatePage(results, pageContext);
  } catch (error) {
    if (error instanceof ProviderBadPayloadError) return error;
    throw error;
  }
  throw new Error('page was accepted');
}

describe('validatePage', () => {
  it('turns valid aggregates into candles; missing vw and n become null', () => {
    const candles = validatePage([bar(), { v: 0, o: 10, c: 10, h: 10, l: 10, t: T0 + 60_000 }], context);
    expect(candles).toEqual([
      { symbol: 'AAPL', timeframe: '1m', time: T0, open: 10, high: 10.2, low: 9.9, close: 10.1, volume: 1200, vwap: 10.05, trades: 17 },
      { symbol: 'AAPL', timeframe: '1m', time: T0 + 60_000, open: 10, high: 10, low: 10, close: 10, volume: 0, vwap: null, trades: null },
    ]);
  });

  it.each([
    ['a high below the close', bar({ h: 10.05 }), /high 10.05 is below max\(open, close\) 10.1/],
    ['a low above the open', bar({ l: 10.01 }), /low 10.01 is above min\(open, close\) 10/],
    ['a high below the low', bar({ h: 9.8 }), /high 9.8 is below/],
    ['a negative volume', bar({ v: -1 }), /volume must be a finite number >= 0/],
    ['an infinite price', bar({ o: Infinity }), /prices must be finite numbers/],
    ['NaN', bar({ c: NaN }), /prices must be finite numbers/],
    ['a price sent as a string', bar({ o: '10' }), /prices must be finite numbers/],
    ['a missing volume', bar({ v: undefined }), /volume must be/],
    ['a fractional trade count', bar({ n: 1.5 }), /trades must be a whole number/],
    ['a non-finite vwap', bar({ vw: 'x' }), /vwap must be a finite number/],
    ['a time off the minute', bar({ t: T0 + 1_000 }), /is not the start of a 1m bar/],
    ['a time in seconds', bar({ t: T0 / 1000 }), /not the start of a 1m bar/],
    ['a missing time', bar({ t: undefined }), /time must be whole Unix milliseconds/],
  ])('rejects the whole page for %s, naming symbol, timeframe and request id', (_, badBar, problem) => {
    const error = rejection([bar({ t: T0 - 60_000 }), badBar, bar({ t: T0 + 60_000 })]);
    expect(error.symbol).toBe('AAPL');
    expect(error.timeframe).toBe('1m');
    expect(error.requestId).toBe('req-123');
    expect(error.message).toContain('AAPL 1m');
    expect(error.message).toContain('req-123');
    expect(error.message).toMatch(/bar 1 /);
    expect(error.message).toMatch(problem);
  });

  it('rejects bars out of order or repeated', () => {
    expect(rejection([bar({ t: T0 + 60_000 }), bar()]).message).toMatch(/not after the previous bar/);
    expect(rejection([bar(), bar()]).message).toMatch(/not after the previous bar/);
  });

  it('checks day bars against New York midnight across the clock change', () => {
    const day: PageContext = { ...context, timeframe: Timeframe.of('1d') };
    const winter = Date.UTC(2024, 2, 8, 5); // Friday before the March change: EST
    const summer = Date.UTC(2024, 2, 11, 4); // Monday after: EDT
    expect(validatePage([bar({ t: winter }), bar({ t: summer })], day).map((c) => c.time)).toEqual([winter, summer]);
    expect(rejection([bar({ t: Date.UTC(2024, 2, 11, 5) })], day).message).toMatch(/2024-03-11T05:00:00.000Z is not the start of a 1d bar/);
    expect(rejection([bar({ t: Date.UTC(2024, 2, 8) })], day).message).toMatch(/not the start of a 1d bar/);
  });

  it('checks week bars against Sunday midnight in New York', () => {
    const week: PageContext = { ...context, timeframe: Timeframe.of('1w') };
    expect(validatePage([bar({ t: Date.UTC(2024, 2, 10, 5) })], week)).toHaveLength(1); // Sunday 2024-03-10, 00:00 EST
    expect(rejection([bar({ t: Date.UTC(2024, 2, 11, 4) })], week).message).toMatch(/not the start of a 1w bar/);
  });

  it('lists several problems of one page in its message', () => {
    const error = rejection([bar({ h: 1 }), bar({ t: T0 + 60_000, v: -5 }), bar({ t: T0 + 120_000, l: 50 })]);
    expect(error.problems).toHaveLength(3);
  });

  it('accepts an empty page', () => {
    expect(validatePage([], context)).toEqual([]);
  });
});
