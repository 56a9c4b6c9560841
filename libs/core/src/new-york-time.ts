const DAY_MS = 86_400_000;

/**
 * America/New_York conversions via Intl (no external dependency). Offsets are cached
 * per UTC week: New York changes offset at most once a week, so each week stores its
 * offset before and after a (rare) transition, found by bisection to the minute.
 */
const MINUTE_MS = 60_000;
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
export function newYorkOffsetMs(utcMs: number): number {
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
export function newYorkWallToUtc(wallMs: number): number {
  const offsetBefore = newYorkOffsetMs(wallMs - DAY_MS);
  const offsetAfter = newYorkOffsetMs(wallMs + DAY_MS);
  const early = wallMs - offsetBefore;
  if (offsetBefore === offsetAfter) return early;
  if (newYorkOffsetMs(early) === offsetBefore) return early;
  const late = wallMs - offsetAfter;
  return newYorkOffsetMs(late) === offsetAfter ? late : early;
}

/** Start (UTC ms) of the New York calendar day holding `utcMs`. */
export function newYorkDayStart(utcMs: number): number {
  const wall = utcMs + newYorkOffsetMs(utcMs);
  return newYorkWallToUtc(Math.floor(wall / DAY_MS) * DAY_MS);
}

/** Start (UTC ms) of the New York week (Sunday 00:00) holding `utcMs`. */
export function newYorkWeekStart(utcMs: number): number {
  const wall = utcMs + newYorkOffsetMs(utcMs);
  const wallDay = Math.floor(wall / DAY_MS);
  const dayOfWeek = (wallDay + 4) % 7; // 1970-01-01 was a Thursday (4); Sunday = 0
  return newYorkWallToUtc((wallDay - dayOfWeek) * DAY_MS);
}
