import { TIMEFRAME_VALUES, Timeframe, TimeframeValue } from './timeframe';

/** A duration (Unix ms) for every timeframe, e.g. how far back the backfill reaches. */
export type TimeframeDurations = Readonly<Record<TimeframeValue, number>>;

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

const DURATION = /^(\d{1,6})(s|m|h|d|w|y)$/;

/** `30d` -> ms. Units: s, m, h, d, w, y (365 days). */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match || Number(match[1]) === 0) throw new RangeError(`"${text}" is not a duration like 90s, 15m, 6h, 30d, 2w or 5y`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** ms -> the shortest exact form among the units (`2592000000` -> `30d`). */
export function formatDuration(ms: number): string {
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's']) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * Parses `1m:30d,1d:5y` over `defaults`: timeframes left out keep their default.
 * Throws RangeError naming the bad item.
 */
export function parseTimeframeDurations(raw: string | undefined, defaults: TimeframeDurations): TimeframeDurations {
  const result: Record<TimeframeValue, number> = { ...defaults };
  if (raw === undefined || raw.trim() === '') return result;
  const seen = new Set<string>();
  for (const item of raw.split(',').map((s) => s.trim())) {
    const [timeframe, duration, extra] = item.split(':').map((s) => s.trim());
    if (!timeframe || duration === undefined || extra !== undefined) {
      throw new RangeError(`must be a comma-separated list of timeframe:duration like 1m:30d,1d:5y, got "${item}"`);
    }
    if (!Timeframe.isValue(timeframe)) throw new RangeError(`names "${timeframe}", not a timeframe; use ${TIMEFRAME_VALUES.join(', ')}`);
    if (seen.has(timeframe)) throw new RangeError(`lists ${timeframe} twice`);
    seen.add(timeframe);
    result[timeframe] = parseDuration(duration);
  }
  return result;
}

/** `1m:30d,5m:90d,...` in timeframe order: the form .env.example shows. */
export function formatTimeframeDurations(durations: TimeframeDurations): string {
  return TIMEFRAME_VALUES.map((tf) => `${tf}:${formatDuration(durations[tf])}`).join(',');
}
