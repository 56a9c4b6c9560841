import type { Candle } from '@app/core';

/**
 * One element of `results`, field for field as the provider sends it (v, vw, o, c, h, l, t, n);
 * `vw` and `n` are left out when unknown (undefined keeps one object shape and JSON.stringify drops it).
 */
export interface WireAggregate {
  v: number;
  vw: number | undefined;
  o: number;
  c: number;
  h: number;
  l: number;
  t: number;
  n: number | undefined;
}

/** A stored or derived bar as sent: its values untouched, stamped `time` (its bucket's start). */
export function wireOf(bar: Candle, time = bar.time): WireAggregate {
  return {
    v: bar.volume,
    vw: bar.vwap ?? undefined,
    o: bar.open,
    c: bar.close,
    h: bar.high,
    l: bar.low,
    t: time,
    n: bar.trades ?? undefined,
  };
}

/**
 * Bars (ascending, at least one) combined into the bar of the wider bucket starting at `time`, by
 * the rule of derived candles (libs/market-data/src/derived/README.md): open first, close last,
 * high max, low min, volume summed oldest first, trades summed (unknown when no bar has them),
 * vwap the volume-weighted mean of the vwaps present (unknown when none is, or their volume is 0), to 4
 * decimals as the provider prints it. One bar stays as it is, so a week of one day keeps that day's numbers bit for bit.
 */
export function combine(ascending: readonly Candle[], time: number): WireAggregate {
  if (ascending.length === 1) return wireOf(ascending[0], time);
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  let notional = 0;
  let vwapVolume = 0;
  let trades: number | undefined;
  for (const bar of ascending) {
    if (bar.high > high) high = bar.high;
    if (bar.low < low) low = bar.low;
    volume += bar.volume;
    if (bar.vwap !== null) {
      notional += bar.vwap * bar.volume;
      vwapVolume += bar.volume;
    }
    if (bar.trades !== null) trades = (trades ?? 0) + bar.trades;
  }
  return {
    v: volume,
    vw: vwapVolume > 0 ? Math.round((notional / vwapVolume) * 1e4) / 1e4 : undefined,
    o: ascending[0].open,
    c: ascending[ascending.length - 1].close,
    h: high,
    l: low,
    t: time,
    n: trades,
  };
}
