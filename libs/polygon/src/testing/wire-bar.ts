import type { Candle, TimeframeValue } from '@app/core';

/** One element of `results` as the provider sends it. */
export interface WireBar {
  v: number;
  vw?: number;
  o: number;
  c: number;
  h: number;
  l: number;
  t: number;
  n?: number;
}

/** A bar as the store keeps it once ingested: left-out vw and n are unknown (null). */
export function candleOfWireBar(symbol: string, timeframe: TimeframeValue, bar: WireBar): Candle {
  return {
    symbol,
    timeframe,
    time: bar.t,
    open: bar.o,
    high: bar.h,
    low: bar.l,
    close: bar.c,
    volume: bar.v,
    vwap: bar.vw ?? null,
    trades: bar.n ?? null,
  };
}

/** Combines bars (ascending, at least one) into the bar of a wider bucket starting at `t`. */
export function aggregateBars(bars: readonly WireBar[], t: number): WireBar {
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  let priceVolume = 0;
  let trades = 0;
  let hasVwap = true;
  let hasTrades = true;
  for (const bar of bars) {
    if (bar.h > high) high = bar.h;
    if (bar.l < low) low = bar.l;
    volume += bar.v;
    if (bar.vw === undefined) hasVwap = false;
    else priceVolume += bar.vw * bar.v;
    if (bar.n === undefined) hasTrades = false;
    else trades += bar.n;
  }
  const aggregate: WireBar = { v: volume, o: bars[0].o, c: bars[bars.length - 1].c, h: high, l: low, t };
  if (hasVwap && volume > 0) aggregate.vw = Math.round((priceVolume / volume) * 1e4) / 1e4;
  if (hasTrades) aggregate.n = trades;
  return orderLikeProvider(aggregate);
}

/** Field order of the recorded responses (v, vw, o, c, h, l, t, n), so answers read alike. */
export function orderLikeProvider(bar: WireBar): WireBar {
  const ordered: WireBar = { v: bar.v } as WireBar;
  if (bar.vw !== undefined) ordered.vw = bar.vw;
  ordered.o = bar.o;
  ordered.c = bar.c;
  ordered.h = bar.h;
  ordered.l = bar.l;
  ordered.t = bar.t;
  if (bar.n !== undefined) ordered.n = bar.n;
  return ordered;
}
