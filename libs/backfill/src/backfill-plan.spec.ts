import { Timeframe, type TimeRange } from '@app/core';
import {
  PlanInput,
  WindowPlanner,
  backfillTarget,
  chunksNewestFirst,
  finalBefore,
  hasOpenMarket,
  missingRanges,
  progressPercent,
  rangesToFetch,
  refreshRange,
  windowStart,
} from './backfill-plan';

const MINUTE = 60_000;
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
const M1 = Timeframe.of('1m');
const D1 = Timeframe.of('1d');

/** Friday 2024-03-15 11:00 New York (EDT), market open. */
const FRIDAY_11 = at('2024-03-15T15:00:00Z');

/** A provider's window plan, as the port promises it: `buckets` buckets a window, tiling from the first bucket start in the range. */
function bucketsPerWindow(buckets: number): WindowPlanner {
  return {
    planWindows(_symbol, timeframe, start, end) {
      const windows: TimeRange[] = [];
      for (let from = timeframe.firstBucketAtOrAfter(start); from < end;) {
        let to = from;
        for (let i = 0; i < buckets && to < end; i++) to = timeframe.nextBucketStart(to);
        windows.push({ start: from, end: Math.min(to, end) });
        from = to;
      }
      return windows;
    },
  };
}

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    symbol: 'AAPL',
    timeframe: M1,
    now: FRIDAY_11,
    windowMs: 30 * DAY,
    revisionMs: 20 * MINUTE,
    tracked: true,
    covered: [],
    requested: [],
    forced: [],
    ...overrides,
  };
}

describe('backfill plan', () => {
  describe('finalBefore', () => {
    it('keeps the last REFRESH_REVISION_MINUTES of intraday bars open to revision', () => {
      expect(finalBefore(input())).toBe(at('2024-03-15T14:40:00Z'));
      // Never less than one bar: the 1h bar that just closed is still revised.
      expect(finalBefore(input({ timeframe: Timeframe.of('1h'), now: at('2024-03-15T15:05:00Z') }))).toBe(at('2024-03-15T14:00:00Z'));
    });

    it('keeps the last session of day bars open: on Monday that is Friday, after Good Friday Thursday', () => {
      const monday = at('2024-03-18T14:00:00Z');
      expect(finalBefore(input({ timeframe: D1, now: monday }))).toBe(at('2024-03-15T04:00:00Z'));
      const mondayAfterGoodFriday = at('2024-04-01T14:00:00Z');
      expect(finalBefore(input({ timeframe: D1, now: mondayAfterGoodFriday }))).toBe(at('2024-03-28T04:00:00Z'));
      // Crypto trades every day: Sunday is the last session.
      expect(finalBefore(input({ symbol: 'X:BTCUSD', timeframe: D1, now: monday }))).toBe(at('2024-03-17T04:00:00Z'));
    });
  });

  describe('refreshRange', () => {
    it('re-reads the revision window when nothing recent is covered', () => {
      expect(refreshRange(input())).toEqual({ start: at('2024-03-15T14:40:00Z'), end: FRIDAY_11 });
    });

    it('starts at the end of the coverage, so a gap since the last refresh is fetched too', () => {
      const covered = [{ start: windowStart(input()), end: at('2024-03-15T13:00:00Z') }];
      expect(refreshRange(input({ covered }))).toEqual({ start: at('2024-03-15T13:00:00Z'), end: FRIDAY_11 });
    });

    it('ignores coverage older than the history window (an old hand-made range)', () => {
      const covered = [{ start: at('2020-01-02T00:00:00Z'), end: at('2020-02-01T00:00:00Z') }];
      expect(refreshRange(input({ covered }))?.start).toBe(at('2024-03-15T14:40:00Z'));
    });
  });

  describe('missingRanges', () => {
    it('is the history window minus what is covered, up to the coverage head (the refresh owns the rest)', () => {
      const start = windowStart(input());
      const covered = [
        { start: at('2024-03-01T00:00:00Z'), end: at('2024-03-02T00:00:00Z') },
        { start: at('2024-03-15T14:00:00Z'), end: at('2024-03-15T14:40:00Z') },
      ];
      expect(missingRanges(input({ covered }))).toEqual([
        { start, end: at('2024-03-01T00:00:00Z') },
        { start: at('2024-03-02T00:00:00Z'), end: at('2024-03-15T14:00:00Z') },
      ]);
    });

    it('adds ranges asked for by hand, also before the window; an untracked job has only those, up to the final bars', () => {
      const requested = [{ start: at('2023-01-03T00:00:00Z'), end: at('2023-01-04T00:00:00Z') }];
      expect(missingRanges(input({ requested }))[0]).toEqual(requested[0]);
      const untracked = input({ tracked: false, requested: [{ start: at('2024-03-15T00:00:00Z'), end: FRIDAY_11 }] });
      expect(missingRanges(untracked)).toEqual([{ start: at('2024-03-15T00:00:00Z'), end: at('2024-03-15T14:40:00Z') }]);
    });

    it('reports progress as the covered share of the target', () => {
      const target = backfillTarget(input());
      const half = (target[0].start + target[0].end) / 2;
      expect(progressPercent(input({ covered: [{ start: half, end: target[0].end }] }))).toBe(50);
      expect(progressPercent(input({ covered: target }))).toBe(100);
      expect(progressPercent(input({ tracked: false }))).toBe(100);
    });
  });

  describe('rangesToFetch (force)', () => {
    const day = { start: at('2024-03-06T00:00:00Z'), end: at('2024-03-07T00:00:00Z') };

    it('without force is the missing part: a covered range is not fetched again', () => {
      const untracked = input({ tracked: false, requested: [day], covered: [day] });
      expect(rangesToFetch(untracked)).toEqual([]);
      expect(rangesToFetch(input({ covered: backfillTarget(input()) }))).toEqual([]);
    });

    it('with force reads the forced range again although covered, together with what is missing', () => {
      const missing = { start: at('2024-03-01T00:00:00Z'), end: at('2024-03-02T00:00:00Z') };
      const untracked = input({ tracked: false, requested: [missing, day], covered: [day], forced: [day] });
      expect(rangesToFetch(untracked)).toEqual([missing, day]);
    });

    it('reads forced ranges up to now, past the final bars and the target (nothing forced waits for a refresh), never beyond now', () => {
      const recent = { start: at('2024-03-15T14:00:00Z'), end: FRIDAY_11 + 60 * MINUTE };
      const covered = [{ start: windowStart(input()), end: at('2024-03-15T14:40:00Z') }];
      expect(rangesToFetch(input({ covered, forced: [recent] }))).toEqual([{ start: recent.start, end: FRIDAY_11 }]);
    });

    it('counts a forced range as not done in the progress until it is read again', () => {
      const untracked = input({ tracked: false, requested: [day], covered: [day] });
      expect(progressPercent(untracked)).toBe(100);
      expect(progressPercent({ ...untracked, forced: [{ start: day.start, end: (day.start + day.end) / 2 }] })).toBe(50);
    });
  });

  describe('chunks', () => {
    it('splits 30 days of 1m bars into provider windows, newest first, that tile the range', () => {
      const range = { start: at('2024-01-02T00:00:00Z'), end: at('2024-04-01T00:00:00Z') };
      // A week of minutes a window: every window holds trading days (a 2.5-day tail would be Good Friday's weekend).
      const chunks = chunksNewestFirst('AAPL', M1, [range], bucketsPerWindow(7 * 24 * 60));
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks[0].end).toBe(range.end);
      expect(chunks[chunks.length - 1].start).toBe(range.start);
      for (let i = 1; i < chunks.length; i++) expect(chunks[i].end).toBe(chunks[i - 1].start);
      expect(chunks.every((c) => c.open)).toBe(true);
    });

    it('marks ranges with the market closed throughout, so no request goes out', () => {
      const weekend = { start: at('2024-03-16T01:00:00Z'), end: at('2024-03-18T07:00:00Z') };
      expect(chunksNewestFirst('AAPL', M1, [weekend], bucketsPerWindow(45_000))).toEqual([{ ...weekend, open: false }]);
      expect(chunksNewestFirst('X:BTCUSD', M1, [weekend], bucketsPerWindow(45_000))[0].open).toBe(true);
      // Good Friday: NYSE closed; the day bar of that day is not expected.
      expect(hasOpenMarket('AAPL', D1, { start: at('2024-03-29T04:00:00Z'), end: at('2024-03-30T04:00:00Z') })).toBe(false);
      expect(hasOpenMarket('AAPL', D1, { start: at('2024-03-28T04:00:00Z'), end: at('2024-03-29T04:00:00Z') })).toBe(true);
    });

    it('covers a sliver with no bucket start without a request', () => {
      const sliver = { start: at('2024-03-15T14:00:10Z'), end: at('2024-03-15T14:00:50Z') };
      expect(chunksNewestFirst('AAPL', M1, [sliver], bucketsPerWindow(45_000))).toEqual([{ ...sliver, open: false }]);
    });
  });
});
