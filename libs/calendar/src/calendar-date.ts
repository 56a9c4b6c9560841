/**
 * Calendar dates as epoch day numbers (days since 1970-01-01), so date arithmetic never
 * touches the machine time zone. Weekdays: 0 = Sunday .. 6 = Saturday, as Date#getUTCDay.
 */
export const DAY_MS = 86_400_000;
export const SUNDAY = 0;
export const MONDAY = 1;
export const THURSDAY = 4;
export const FRIDAY = 5;
export const SATURDAY = 6;

const YMD_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayNumberOfDate(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Parses a strict 'YYYY-MM-DD' (rejects 2024-02-30 and friends). */
export function dayNumberOf(ymd: string): number {
  const match = YMD_PATTERN.exec(ymd);
  const dayNumber = match ? dayNumberOfDate(Number(match[1]), Number(match[2]), Number(match[3])) : NaN;
  if (!Number.isInteger(dayNumber) || ymdOf(dayNumber) !== ymd) throw new RangeError(`"${ymd}" is not a YYYY-MM-DD date`);
  return dayNumber;
}

export function ymdOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function yearOf(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCFullYear();
}

export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function isWeekend(dayNumber: number): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday === SATURDAY || weekday === SUNDAY;
}

/** The n-th (1-based) given weekday of a month, e.g. the 3rd Monday of January. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): number {
  const first = dayNumberOfDate(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
}

export function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  const last = dayNumberOfDate(year, month + 1, 0);
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/** Gregorian Easter Sunday (anonymous Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberOfDate(year, month, day);
}
