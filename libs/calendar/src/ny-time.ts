import { DAY_MS, dayNumberOf, ymdOf } from './calendar-date';

/**
 * America/New_York conversions via Intl (no external dependency). Offsets are cached
 * per UTC week: New York changes offset at most once a week, so each week stores its
 * offset before and after a (rare) transition, found by bisection to the minute.
 */
export const MINUTE_MS = 60_000;
const WEEK_MS = 7 * DAY_MS;

const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

interface WeekOffsets {
  before: number;
  /** First UTC ms with the `after` offset; Infinity when the week has no transition. */
  transitionMs: number;
  after: number;
}

const weekCache = new Map<number, WeekOffsets>();

/** Offset (ms to add to UTC to get New York wall time) asked straight from Intl. */
function intlOffsetMs(utcMs: number): number {
  const minuteMs = Math.floor(utcMs / MINUTE_MS) * MINUTE_MS;
  const field: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatter.formatToParts(minuteMs)) field[part.type] = Number(part.value);
  const wallMs = Date.UTC(field.year ?? NaN, (field.month ?? NaN) - 1, field.day ?? NaN, field.hour ?? NaN, field.minute ?? NaN);
  return wallMs - minuteMs;
}

function offsetsOfWeek(week: number): WeekOffsets {
  const startMs = week * WEEK_MS;
  const endMs = startMs + WEEK_MS - MINUTE_MS;
  const before = intlOffsetMs(startMs);
  const after = intlOffsetMs(endMs);
  if (before === after) return { before, transitionMs: Infinity, after };
  // Bisect on whole minutes: lo keeps `before`, hi has `after`.
  let lo = startMs;
  let hi = endMs;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (intlOffsetMs(mid) === before) lo = mid;
    else hi = mid;
  }
  return { before, transitionMs: hi, after };
}

/** Milliseconds to add to a UTC instant to get New York wall-clock time (-5h or -4h). */
export function nyOffsetMs(utcMs: number): number {
  const week = Math.floor(utcMs / WEEK_MS);
  let offsets = weekCache.get(week);
  if (!offsets) {
    offsets = offsetsOfWeek(week);
    weekCache.set(week, offsets);
  }
  return utcMs < offsets.transitionMs ? offsets.before : offsets.after;
}

/**
 * UTC ms of a New York wall-clock time given as "wall ms" (the wall time read as if UTC).
 * Like Temporal's 'compatible' disambiguation: an ambiguous fall-back time takes the
 * earlier instant, a skipped spring-forward time is pushed forward by the gap.
 */
export function nyWallMsToUtcMs(wallMs: number): number {
  const offsetBefore = nyOffsetMs(wallMs - DAY_MS);
  const offsetAfter = nyOffsetMs(wallMs + DAY_MS);
  const early = wallMs - offsetBefore;
  if (offsetBefore === offsetAfter) return early;
  if (nyOffsetMs(early) === offsetBefore) return early;
  const late = wallMs - offsetAfter;
  return nyOffsetMs(late) === offsetAfter ? late : early;
}

/** UTC ms of `minuteOfDay` minutes after midnight of a New York calendar day. */
export function nyDayTimeToUtcMs(dayNumber: number, minuteOfDay: number): number {
  return nyWallMsToUtcMs(dayNumber * DAY_MS + minuteOfDay * MINUTE_MS);
}

/** The New York calendar day (epoch day number) holding a UTC instant. */
export function nyDayNumberOf(utcMs: number): number {
  return Math.floor((utcMs + nyOffsetMs(utcMs)) / DAY_MS);
}

/** The UTC instant of a New York wall-clock time, e.g. nyWallTimeToUtc('2024-07-01', 9, 30). */
export function nyWallTimeToUtc(ymd: string, hh: number, mm: number): Date {
  if (!Number.isInteger(hh) || hh < 0 || hh > 23 || !Number.isInteger(mm) || mm < 0 || mm > 59) {
    throw new RangeError(`${hh}:${mm} is not a wall-clock time`);
  }
  return new Date(nyDayTimeToUtcMs(dayNumberOf(ymd), hh * 60 + mm));
}

/** YYYY-MM-DD of an instant in New York. */
export function nyDateOf(at: Date): string {
  return ymdOf(nyDayNumberOf(validMs(at)));
}

/** Epoch ms of a Date, refusing Invalid Date so it cannot silently yield empty results. */
export function validMs(at: Date): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid Date');
  return ms;
}
