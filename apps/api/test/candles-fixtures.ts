import { tradingWindows } from '@app/calendar';
import { type Candle, type CandleValues, Timeframe, TimeframeValue } from '@app/core';

/** A bar as the JSON API serves it. */
export interface BarBody extends Omit<CandleValues, 'time'> {
  time: string;
  isComplete: boolean;
}

/** Deterministic pseudo-random doubles with full mantissas, so any lossy step shows. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
}

/** Valid OHLCV bars at the given start times; some vwap/trades left unknown (null). */
export function barsAt(symbol: string, timeframe: TimeframeValue, times: readonly number[], seed = 1): Candle[] {
  const random = seededRandom(seed);
  return times.map((time, i) => {
    const open = 100 + random() * 50;
    const close = 100 + random() * 50;
    return {
      symbol,
      timeframe,
      time,
      open,
      high: Math.max(open, close) + random(),
      low: Math.min(open, close) - random(),
      close,
      volume: Math.floor(random() * 1e6) + random(),
      vwap: i % 7 === 3 ? null : (open + close) / 2 + random() / 10,
      trades: i % 11 === 5 ? null : Math.floor(random() * 5000),
    };
  });
}

/** Consecutive bucket starts of `timeframe` from `from` (aligned down). */
export function bucketStarts(timeframe: TimeframeValue, from: number, count: number): number[] {
  const tf = Timeframe.of(timeframe);
  const times: number[] = [];
  for (let t = tf.bucketStart(from); times.length < count; t = tf.nextBucketStart(t)) times.push(t);
  return times;
}

/**
 * `count` one-minute bar starts inside the US extended session (04:00-20:00 New York)
 * from `from` on; at most `perDay` per session (the first ones), to spread fewer bars over more days.
 */
export function sessionMinutes(from: number, count: number, perDay = Infinity): number[] {
  const times: number[] = [];
  const windows = tradingWindows('AAPL', new Date(from), new Date(from + 3 * 365 * 86_400_000), 'extended');
  for (const window of windows) {
    const end = Math.min(window.end.getTime(), window.start.getTime() + perDay * 60_000);
    for (let t = window.start.getTime(); t < end && times.length < count; t += 60_000) times.push(t);
    if (times.length === count) break;
  }
  return times;
}
