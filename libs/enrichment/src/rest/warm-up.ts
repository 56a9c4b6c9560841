import type { SessionKey } from '../session';
import { lookback, memoryOf } from '../indicator-catalogue';
import type { IndicatorSpec } from '../spec/indicator-spec';

/** Where one indicator's computation starts: at the `barsBefore`-th bar before `anchor` (Unix ms). */
export interface WarmUp {
  readonly anchor: number;
  readonly barsBefore: number;
}

/**
 * Series indicators (recursive smoothing, running totals) never forget their start: they warm up
 * on this many times their longest period, so the start's weight has faded (EMA-type below 1e-8,
 * Wilder's 1/N smoothing below 1e-4 of the value).
 */
export const SERIES_WARM_UP_PERIODS = 10;

/** Bars a series indicator is fed before the requested range: max(lookback, 10 x its longest period). */
export function seriesWarmUpBars(spec: IndicatorSpec): number {
  return Math.max(lookback(spec), SERIES_WARM_UP_PERIODS * Math.max(0, ...spec.params));
}

/**
 * Window indicators start `lookback` bars before the page, which reproduces their values exactly.
 * The session VWAP starts at its session's first bar, also exact. Series indicators start a fixed
 * warm-up before the requested range's `start`, not the page: every page of one range then gives
 * the values one big page would, bit for bit.
 */
export function warmUpOf(spec: IndicatorSpec, rangeStart: number, pageStart: number, sessionOf: SessionKey): WarmUp {
  switch (memoryOf(spec)) {
    case 'window':
      return { anchor: pageStart, barsBefore: lookback(spec) };
    case 'session':
      return { anchor: Math.min(sessionOf(pageStart), pageStart), barsBefore: 0 };
    case 'series':
      return { anchor: Math.min(rangeStart, pageStart), barsBefore: seriesWarmUpBars(spec) };
  }
}

/** Index of the bar in `history` (ascending) where the computation with `warmUp` starts. */
export function warmUpStartIndex(history: readonly { time: number }[], warmUp: WarmUp): number {
  const atAnchor = barsBefore(history, warmUp.anchor);
  return Math.max(0, atAnchor - warmUp.barsBefore);
}

/** How many bars of `history` (ascending) start before `time`. */
export function barsBefore(history: readonly { time: number }[], time: number): number {
  let low = 0;
  let high = history.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (history[middle].time < time) low = middle + 1;
    else high = middle;
  }
  return low;
}
