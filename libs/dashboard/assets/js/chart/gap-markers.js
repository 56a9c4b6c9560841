/**
 * Gaps from the gap report (GET /api/v1/asset/{symbol}/gaps): runs of bars the market calendar
 * expects but the store lacks. Each is marked on the first bar after it. `fetched` gaps were
 * asked of the provider, which had no bar (a quiet minute); the others are simply missing.
 */
import { assetPath, getJson } from '../api.js';
import { iso } from '../ny-time.js';
import { timeframeMs } from '../timeframes.js';

/** The report refuses more than 527,040 bars (366 days of 1m) at a time; stay under it. */
const MAX_BARS_PER_REPORT = 500_000;
/** Only long gaps get a label; short ones (quiet minutes, mostly) just the marker, so the chart stays readable. */
const LABELLED_GAP_BARS = 30;

/**
 * Every gap in [from, to), as the report lists them.
 * @param {import('./candle-feed.js').FeedQuery} query
 * @returns {Promise<{ start: number, end: number, bars: number, fetched: boolean }[]>}
 */
export async function fetchGaps(query, from, to, signal) {
  const chunk = MAX_BARS_PER_REPORT * timeframeMs(query.timeframe);
  const gaps = [];
  for (let start = from; start < to; start += chunk) {
    const report = await getJson(
      assetPath(query.symbol, 'gaps'),
      {
        timeframe: query.timeframe,
        start: iso(start),
        end: iso(Math.min(to, start + chunk)),
        session: query.session === 'extended' ? undefined : query.session,
      },
      { signal },
    );
    for (const gap of report.gaps)
      gaps.push({ start: Date.parse(gap.start), end: Date.parse(gap.end), bars: gap.bars, fetched: gap.fetched });
  }
  return gaps;
}

/**
 * A marker per gap, on the first loaded bar at or after its end (or the last one before it, at the
 * newest edge); gaps outside the loaded bars get none.
 * @param {{ start: number, end: number, bars: number, fetched: boolean }[]} gaps
 * @param {import('./candle-feed.js').Bar[]} bars ascending
 */
export function gapMarkers(gaps, bars) {
  const markers = [];
  const seen = new Set();
  for (const gap of gaps) {
    const index = firstAtOrAfter(bars, gap.end);
    const bar = index < bars.length ? bars[index] : bars[bars.length - 1];
    if (bar === undefined || bar.ms < gap.start - timeframeMs('1w') || seen.has(bar.time)) continue;
    seen.add(bar.time);
    markers.push({ time: bar.time, text: gap.bars >= LABELLED_GAP_BARS ? `gap ${gap.bars}` : '', fetched: gap.fetched, gap });
  }
  return markers.sort((a, b) => a.time - b.time);
}

function firstAtOrAfter(bars, ms) {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid].ms < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
