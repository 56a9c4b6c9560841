import { expectedBarStarts, tradingWindows } from '@app/calendar';
import type { Timeframe, TimeRange } from '@app/core';

const HOUR_MS = 3_600_000;
/** An answer at this share of `limit` without next_url was probably cut at the limit. */
const LIMIT_SHARE = 0.99;
/** Intraday: this much open market without a single bar before the window end looks like a cut, not a quiet market. */
const INTRADAY_QUIET_MS = 6 * HOUR_MS;
const MISSING_DAY_BARS = 3;
const MISSING_WEEK_BARS = 2;

export interface FinalPage {
  symbol: string;
  timeframe: Timeframe;
  window: TimeRange;
  /** Start of the last bar of the answer; undefined when it had none. */
  lastBarTime: number | undefined;
  queryCount: number;
  resultsCount: number;
  pageLimit: number;
  /** Bars after this instant are not expected yet (publication delay). */
  horizon: number;
}

export type CutVerdict =
  | { cut: false }
  /** `at-limit`: the provider stopped at `limit`; `ends-early`: bars are missing before the window end. */
  | { cut: true; cause: 'at-limit' | 'ends-early'; reason: string };

/**
 * Decides whether the last page of a window (no next_url) looks cut short: at the base
 * aggregate limit, or ending well before the window end while the market was open. The
 * caller drops the last bar (it may be built from part of its minutes) and re-asks from it.
 * An empty answer is accepted: re-asking the same window would not tell more.
 */
export function detectCut(page: FinalPage): CutVerdict {
  const { lastBarTime, pageLimit } = page;
  if (lastBarTime === undefined) return { cut: false };
  if (page.queryCount >= pageLimit * LIMIT_SHARE || page.resultsCount >= pageLimit * LIMIT_SHARE) {
    return { cut: true, cause: 'at-limit', reason: `${page.queryCount} base aggregates read for a limit of ${pageLimit}, and no next_url` };
  }
  const from = page.timeframe.nextBucketStart(lastBarTime);
  const to = Math.min(page.window.end, page.horizon);
  if (from >= to) return { cut: false };
  const missing = missingBars(page.symbol, page.timeframe, from, to);
  return missing === undefined
    ? { cut: false }
    : {
        cut: true,
        cause: 'ends-early',
        reason: `the answer ends at ${new Date(from).toISOString()} but ${missing} while the market was open`,
      };
}

/** Describes the expected bars missing after `from`, or undefined when few enough to be a quiet market. */
function missingBars(symbol: string, timeframe: Timeframe, from: number, to: number): string | undefined {
  if (timeframe.isIntraday) {
    const threshold = Math.max(2, Math.ceil(INTRADAY_QUIET_MS / timeframe.durationMs));
    const expected = expectedBarStarts(symbol, timeframe.durationMs, new Date(from), new Date(to)).length;
    return expected >= threshold ? `${expected} ${timeframe.value} bars are missing up to ${new Date(to).toISOString()}` : undefined;
  }
  const threshold = timeframe.value === '1w' ? MISSING_WEEK_BARS : MISSING_DAY_BARS;
  let expected = 0;
  for (let bucket = from; bucket < to && expected < threshold; bucket = timeframe.nextBucketStart(bucket)) {
    const bucketEnd = Math.min(timeframe.nextBucketStart(bucket), to);
    if (tradingWindows(symbol, new Date(bucket), new Date(bucketEnd)).length > 0) expected++;
  }
  return expected >= threshold ? `at least ${expected} ${timeframe.value} bars are missing` : undefined;
}
