import { InvalidFieldError } from '@app/core';
import { parseIndicatorList, parseIndicatorSpec } from './parse-indicator-spec';

const FIELD = 'indicators';

/** The error's reason, asserting it is an InvalidFieldError on FIELD. */
function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFieldError);
    expect((error as InvalidFieldError).field).toBe(FIELD);
    return (error as InvalidFieldError).reason;
  }
  throw new Error('expected the spec to be refused');
}

describe('parseIndicatorSpec', () => {
  it.each([
    ['sma:20', 'sma:20', [20]],
    ['ema:20', 'ema:20', [20]],
    ['rsi:14', 'rsi:14', [14]],
    ['macd:12:26:9', 'macd:12:26:9', [12, 26, 9]],
    ['bbands:20:2', 'bbands:20:2', [20, 2]],
    ['atr:14', 'atr:14', [14]],
    ['stoch:14:3:3', 'stoch:14:3:3', [14, 3, 3]],
    ['wma:20', 'wma:20', [20]],
    ['obv', 'obv', []],
    ['vwap', 'vwap', []],
  ])('reads %s', (text, key, params) => {
    expect(parseIndicatorSpec(text, FIELD)).toEqual({ name: key.split(':')[0], params, key });
  });

  it.each([
    ['sma', 'sma:20'],
    ['ema', 'ema:20'],
    ['wma', 'wma:20'],
    ['rsi', 'rsi:14'],
    ['atr', 'atr:14'],
    ['macd', 'macd:12:26:9'],
    ['macd:5', 'macd:5:26:9'],
    ['macd:5:35', 'macd:5:35:9'],
    ['bbands', 'bbands:20:2'],
    ['bbands:10', 'bbands:10:2'],
    ['stoch', 'stoch:14:3:3'],
    ['stoch:5', 'stoch:5:3:3'],
  ])('fills the defaults of %s: %s', (text, key) => {
    expect(parseIndicatorSpec(text, FIELD).key).toBe(key);
  });

  it('writes the canonical form: lower case, no spaces, numbers in their shortest form', () => {
    expect(parseIndicatorSpec('  SMA:020 ', FIELD).key).toBe('sma:20');
    expect(parseIndicatorSpec('BBands:20:2.50', FIELD)).toEqual({ name: 'bbands', params: [20, 2.5], key: 'bbands:20:2.5' });
    expect(parseIndicatorSpec('bbands:20:2.0', FIELD).key).toBe('bbands:20:2');
    expect(parseIndicatorSpec('bbands:20:.5', FIELD).key).toBe('bbands:20:0.5');
  });

  it('accepts the bounds of a window', () => {
    expect(parseIndicatorSpec('sma:1', FIELD).key).toBe('sma:1');
    expect(parseIndicatorSpec('sma:10000', FIELD).key).toBe('sma:10000');
    expect(parseIndicatorSpec('rsi:2', FIELD).key).toBe('rsi:2');
    expect(parseIndicatorSpec('bbands:20:10', FIELD).key).toBe('bbands:20:10');
  });

  it.each([
    ['sma:0', '"sma:0": window must be a whole number from 1 to 10,000, got "0"'],
    ['sma:10001', '"sma:10001": window must be a whole number from 1 to 10,000, got "10001"'],
    ['ema:-5', '"ema:-5": window must be a whole number from 1 to 10,000, got "-5"'],
    ['wma:2.5', '"wma:2.5": window must be a whole number from 1 to 10,000, got "2.5"'],
    ['sma:1e3', '"sma:1e3": window must be a whole number from 1 to 10,000, got "1e3"'],
    ['sma:', '"sma:": window must be a whole number from 1 to 10,000, got ""'],
    ['rsi:1', '"rsi:1": window must be a whole number from 2 to 10,000, got "1"'],
    ['atr:0', '"atr:0": window must be a whole number from 1 to 10,000, got "0"'],
    ['stoch:14:0:3', '"stoch:14:0:3": kSmoothing must be a whole number from 1 to 10,000, got "0"'],
    ['macd:1:26:9', '"macd:1:26:9": fast must be a whole number from 2 to 10,000, got "1"'],
    ['macd:12:26:0', '"macd:12:26:0": signal must be a whole number from 1 to 10,000, got "0"'],
    ['macd::26:9', '"macd::26:9": fast must be a whole number from 2 to 10,000, got ""'],
  ])('refuses a window out of bounds: %s', (text, reason) => {
    expect(refusal(() => parseIndicatorSpec(text, FIELD))).toBe(reason);
  });

  it('refuses a MACD whose fast period is not below the slow one', () => {
    expect(refusal(() => parseIndicatorSpec('macd:26:12:9', FIELD))).toBe('"macd:26:12:9": fast (26) must be less than slow (12)');
    expect(refusal(() => parseIndicatorSpec('macd:26:26:9', FIELD))).toBe('"macd:26:26:9": fast (26) must be less than slow (26)');
    expect(refusal(() => parseIndicatorSpec('macd:30', FIELD))).toBe('"macd:30": fast (30) must be less than slow (26)');
  });

  it.each(['bbands:20:0', 'bbands:20:-1', 'bbands:20:abc', 'bbands:20:10.5', 'bbands:20:1e1', 'bbands:20:'])(
    'refuses a multiplier that is not a positive number up to 10: %s',
    (text) => {
      expect(refusal(() => parseIndicatorSpec(text, FIELD))).toMatch(/: multiplier must be a number greater than 0 and at most 10, got /);
    },
  );

  it('refuses an unknown indicator, listing the known ones', () => {
    expect(refusal(() => parseIndicatorSpec('adx:14', FIELD))).toBe(
      '"adx:14": unknown indicator "adx"; known: sma, ema, wma, rsi, macd, bbands, atr, stoch, obv, vwap',
    );
    expect(refusal(() => parseIndicatorSpec('', FIELD))).toMatch(/^"": unknown indicator ""; known: sma/);
  });

  it('refuses more parameters than the indicator takes', () => {
    expect(refusal(() => parseIndicatorSpec('sma:20:5', FIELD))).toBe('"sma:20:5": sma takes at most 1 parameter (window), got 2');
    expect(refusal(() => parseIndicatorSpec('macd:12:26:9:1', FIELD))).toBe(
      '"macd:12:26:9:1": macd takes at most 3 parameters (fast, slow, signal), got 4',
    );
    expect(refusal(() => parseIndicatorSpec('obv:10', FIELD))).toBe('"obv:10": obv takes no parameters, got 1');
  });

  it('names the field it was given', () => {
    expect(() => parseIndicatorSpec('sma:0', 'body.indicators[2]')).toThrow('body.indicators[2]: "sma:0": window must be');
  });
});

describe('parseIndicatorList', () => {
  it('reads a comma-separated text, in order', () => {
    expect(parseIndicatorList('rsi:14, sma:20,macd', FIELD).map((spec) => spec.key)).toEqual(['rsi:14', 'sma:20', 'macd:12:26:9']);
  });

  it('reads an array, as a JSON body gives it', () => {
    expect(parseIndicatorList(['sma:20', 'rsi:14', 'macd:12:26:9'], FIELD).map((spec) => spec.key)).toEqual([
      'sma:20',
      'rsi:14',
      'macd:12:26:9',
    ]);
  });

  it('keeps one of the entries that name the same spec, at the first position', () => {
    expect(parseIndicatorList('sma,rsi,SMA:20,sma:21', FIELD).map((spec) => spec.key)).toEqual(['sma:20', 'rsi:14', 'sma:21']);
  });

  it('reads a blank text or an empty array as no indicators', () => {
    expect(parseIndicatorList('  ', FIELD)).toEqual([]);
    expect(parseIndicatorList([], FIELD)).toEqual([]);
  });

  it('refuses an empty entry', () => {
    expect(refusal(() => parseIndicatorList('sma:20,,rsi', FIELD))).toBe('entry 2 is empty; expected an indicator such as sma:20');
  });

  it('refuses more than 10 distinct indicators, and takes 10', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `sma:${i + 1}`);
    expect(parseIndicatorList(eleven.slice(0, 10), FIELD)).toHaveLength(10);
    expect(refusal(() => parseIndicatorList(eleven, FIELD))).toBe('at most 10 indicators are allowed, got 11');
    expect(refusal(() => parseIndicatorList('sma,ema,rsi', FIELD, 2))).toBe('at most 2 indicators are allowed, got 3');
  });

  it('passes the first bad entry through', () => {
    expect(refusal(() => parseIndicatorList('sma:20,macd:26:12:9', FIELD))).toBe('"macd:26:12:9": fast (26) must be less than slow (12)');
  });
});
