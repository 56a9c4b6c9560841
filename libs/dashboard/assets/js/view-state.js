/**
 * The chart's settings live in the address (?symbol=SPY&timeframe=1m&range=1D...), so a view can
 * be bookmarked and shared; the tab lives in the fragment (#symbols). Nothing secret is ever here.
 */
import { CUSTOM_RANGE } from './timeframes.js';

/**
 * @typedef {object} ChartState
 * @property {string | undefined} symbol
 * @property {string | undefined} timeframe
 * @property {string | undefined} range preset id, or 'custom'
 * @property {number | undefined} start custom range start (UTC ms)
 * @property {number | undefined} end custom range end (UTC ms)
 * @property {string} source
 * @property {string} session
 * @property {string[]} indicators specs, e.g. sma:20
 * @property {boolean} gaps
 */

/** @returns {ChartState} */
export function readChartState() {
  const params = new URLSearchParams(location.search);
  const instant = (name) => {
    const value = params.get(name);
    if (value === null) return undefined;
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  };
  const start = instant('start');
  const end = instant('end');
  const custom = start !== undefined && end !== undefined;
  return {
    symbol: params.get('symbol') ?? undefined,
    timeframe: params.get('timeframe') ?? undefined,
    range: custom ? CUSTOM_RANGE : (params.get('range') ?? undefined),
    start: custom ? start : undefined,
    end: custom ? end : undefined,
    source: params.get('source') ?? 'auto',
    session: params.get('session') ?? 'extended',
    indicators: (params.get('indicators') ?? '').split(',').filter((spec) => spec !== ''),
    gaps: params.get('gaps') !== 'off',
  };
}

/** @param {ChartState} state */
export function writeChartState(state) {
  const params = new URLSearchParams();
  if (state.symbol) params.set('symbol', state.symbol);
  if (state.timeframe) params.set('timeframe', state.timeframe);
  if (state.range === CUSTOM_RANGE && state.start !== undefined && state.end !== undefined) {
    params.set('start', new Date(state.start).toISOString());
    params.set('end', new Date(state.end).toISOString());
  } else if (state.range) params.set('range', state.range);
  if (state.source !== 'auto') params.set('source', state.source);
  if (state.session !== 'extended') params.set('session', state.session);
  if (state.indicators.length) params.set('indicators', state.indicators.join(','));
  if (!state.gaps) params.set('gaps', 'off');
  const query = params.toString();
  history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
}
