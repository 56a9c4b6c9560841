/** What the page knows of timeframes: lengths (for paging and polling) and the range presets. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Nominal length of one bar; day and week bars follow New York days, so this is an upper-bound estimate near DST. */
const TIMEFRAME_MS = {
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '4h': 4 * HOUR,
  '1d': DAY,
  '1w': 7 * DAY,
};

/** Every timeframe the API knows, shortest first. */
export const TIMEFRAMES = Object.keys(TIMEFRAME_MS);

export function timeframeMs(timeframe) {
  return TIMEFRAME_MS[timeframe] ?? HOUR;
}

/** Range presets: the span that ends at the newest bar (or now). 5D is a week of calendar days, about five sessions. */
export const RANGE_PRESETS = [
  { id: '1D', title: 'Last day', days: 1 },
  { id: '5D', title: 'Last 5 trading days (7 calendar days)', days: 7 },
  { id: '1M', title: 'Last month', months: 1 },
  { id: '3M', title: 'Last 3 months', months: 3 },
  { id: '1Y', title: 'Last year', months: 12 },
];

export const CUSTOM_RANGE = 'custom';

/** A range that shows a useful number of bars of each timeframe. */
const DEFAULT_PRESET = { '1m': '1D', '5m': '5D', '15m': '5D', '30m': '1M', '1h': '1M', '4h': '3M', '1d': '1Y', '1w': '1Y' };

export function defaultPreset(timeframe) {
  return DEFAULT_PRESET[timeframe] ?? '1M';
}

/** Start of preset `id` ending at `end` (calendar months for M and Y). */
export function presetStart(id, end) {
  const preset = RANGE_PRESETS.find((p) => p.id === id) ?? RANGE_PRESETS[0];
  if (preset.days) return end - preset.days * DAY;
  const start = new Date(end);
  start.setUTCMonth(start.getUTCMonth() - (preset.months ?? 1));
  return start.getTime();
}

/** How often the newest bars are asked for again while the view reaches the present (one small request). */
export const LIVE_POLL_MS = 5_000;
