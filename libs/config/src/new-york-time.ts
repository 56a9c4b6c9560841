/**
 * America/New_York offsets via Intl, cached per UTC hour: the provider aligns day and
 * week bars to New York midnight, so every day/week bucket computation lands here.
 */
const NEW_YORK = 'America/New_York';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: NEW_YORK,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const offsetCache = new Map<number, number>();

/** Milliseconds to add to a UTC instant to get New York wall-clock time (e.g. -5h in winter). */
export function newYorkOffsetMs(utcMs: number): number {
  const hourKey = Math.floor(utcMs / HOUR_MS);
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  const parts = formatter.formatToParts(new Date(hourKey * HOUR_MS));
  const field = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  const wallAsUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  const offset = wallAsUtc - hourKey * HOUR_MS;
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(hourKey, offset);
  return offset;
}

/** The UTC instant of a New York wall-clock time given as "local ms since epoch". */
export function newYorkWallToUtc(wallMs: number): number {
  // Two passes settle the offset; New York changes at 02:00, never at midnight.
  const guess = wallMs - newYorkOffsetMs(wallMs);
  return wallMs - newYorkOffsetMs(guess);
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
