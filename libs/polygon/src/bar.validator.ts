import type { Candle, Timeframe } from '@app/core';
import { ProviderBadPayloadError } from '@app/provider';
import type { RawAggregate } from './aggregates-response.parser';

export interface PageContext {
  symbol: string;
  timeframe: Timeframe;
  requestId: string;
}

/** Problems listed per page before giving up on listing more. */
const MAX_PROBLEMS = 20;

/**
 * Turns a page of raw aggregates into candles, or rejects the page whole: every price and
 * volume finite, low <= min(open, close) <= max(open, close) <= high, volume >= 0, trades
 * a whole number, `t` on a bucket start of the timeframe, times strictly ascending.
 */
export function validatePage(results: readonly RawAggregate[], context: PageContext): Candle[] {
  const candles: Candle[] = [];
  const problems: string[] = [];
  const { timeframe } = context;
  const timeframeValue = timeframe.value;
  let previousTime = -Infinity;
  for (let i = 0; i < results.length && problems.length < MAX_PROBLEMS; i++) {
    const raw = results[i];
    const problem = barProblem(raw, timeframe, previousTime);
    if (problem) {
      problems.push(`bar ${i} (t=${String(raw.t)}): ${problem}`);
      continue;
    }
    previousTime = raw.t as number;
    candles.push({
      symbol: context.symbol,
      timeframe: timeframeValue,
      time: raw.t as number,
      open: raw.o as number,
      high: raw.h as number,
      low: raw.l as number,
      close: raw.c as number,
      volume: raw.v as number,
      vwap: raw.vw === undefined || raw.vw === null ? null : (raw.vw as number),
      trades: raw.n === undefined || raw.n === null ? null : (raw.n as number),
    });
  }
  if (problems.length) throw new ProviderBadPayloadError(context.symbol, timeframeValue, context.requestId, problems);
  return candles;
}

function barProblem(raw: RawAggregate, timeframe: Timeframe, previousTime: number): string | undefined {
  const { o, h, l, c, v, t, vw, n } = raw;
  if (!isFiniteNumber(o) || !isFiniteNumber(h) || !isFiniteNumber(l) || !isFiniteNumber(c)) {
    return `prices must be finite numbers (o=${String(o)} h=${String(h)} l=${String(l)} c=${String(c)})`;
  }
  if (!isFiniteNumber(v) || v < 0) return `volume must be a finite number >= 0, got ${String(v)}`;
  if (vw !== undefined && vw !== null && !isFiniteNumber(vw)) return `vwap must be a finite number, got ${JSON.stringify(vw)}`;
  if (n !== undefined && n !== null && !(Number.isSafeInteger(n) && (n as number) >= 0))
    return `trades must be a whole number >= 0, got ${JSON.stringify(n)}`;
  if (!(l <= Math.min(o, c))) return `low ${l} is above min(open, close) ${Math.min(o, c)}`;
  if (!(Math.max(o, c) <= h)) return `high ${h} is below max(open, close) ${Math.max(o, c)}`;
  if (!Number.isSafeInteger(t)) return 'time must be whole Unix milliseconds';
  const time = t as number;
  if (!timeframe.isBucketStart(time)) return `${new Date(time).toISOString()} is not the start of a ${timeframe.value} bar`;
  if (time <= previousTime) return `time ${new Date(time).toISOString()} is not after the previous bar's`;
  return undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
