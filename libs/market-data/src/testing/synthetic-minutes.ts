import type { Candle } from '@app/core';

const MINUTE = 60_000;

/**
 * Deterministic 1m bars, one per minute in [fromMs, toMs): full-precision prices, integer
 * volumes (so sums are exact in any order), vwap missing on every 7th bar and trades on
 * every 11th, as real feeds sometimes leave them out.
 */
export function syntheticMinutes(symbol: string, fromMs: number, toMs: number, seed = 1): Candle[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const bars: Candle[] = [];
  for (let time = fromMs, i = 0; time < toMs; time += MINUTE, i++) {
    const open = 100 + random() * 50;
    const close = 100 + random() * 50;
    bars.push({
      symbol,
      timeframe: '1m',
      time,
      open,
      high: Math.max(open, close) + random(),
      low: Math.min(open, close) - random(),
      close,
      volume: 1 + Math.floor(random() * 10_000),
      vwap: i % 7 === 0 ? null : (open + close) / 2 + random() / 10,
      trades: i % 11 === 0 ? null : 1 + Math.floor(random() * 500),
    });
  }
  return bars;
}

/** Several [from, to) spans of minutes, one seed each, concatenated. */
export function syntheticSessions(symbol: string, spans: ReadonlyArray<readonly [number, number]>): Candle[] {
  return spans.flatMap(([from, to], i) => syntheticMinutes(symbol, from, to, i + 1));
}
