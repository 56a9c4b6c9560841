import type { TimeframeValue } from '@app/core';

const DAY_MS = 86_400_000;

/**
 * How far back a request without `start` reaches: about a chart's worth of bars, and
 * always under the default page size, so a default request is one page.
 */
export const DEFAULT_LOOKBACK_MS: Readonly<Record<TimeframeValue, number>> = {
  '1m': DAY_MS,
  '5m': 7 * DAY_MS,
  '15m': 30 * DAY_MS,
  '30m': 60 * DAY_MS,
  '1h': 90 * DAY_MS,
  '4h': 365 * DAY_MS,
  '1d': 5 * 365 * DAY_MS,
  '1w': 20 * 365 * DAY_MS,
};

/** "1m: 1 day, 5m: 7 days, ..." for the API docs. */
export function describeLookbacks(timeframes: readonly TimeframeValue[]): string {
  return timeframes
    .map((tf) => {
      const days = DEFAULT_LOOKBACK_MS[tf] / DAY_MS;
      return `${tf}: ${days} day${days === 1 ? '' : 's'}`;
    })
    .join(', ');
}
