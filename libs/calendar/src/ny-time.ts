import { newYorkOffsetMs, newYorkWallToUtc } from '@app/core';
import { DAY_MS, dayNumberOf, ymdOf } from './calendar-date';

/** New York wall-clock helpers for the calendar; the offsets themselves come from @app/config. */
const MINUTE_MS = 60_000;

/** UTC ms of `minuteOfDay` minutes after midnight of a New York calendar day. */
export function nyDayTimeToUtcMs(dayNumber: number, minuteOfDay: number): number {
  return newYorkWallToUtc(dayNumber * DAY_MS + minuteOfDay * MINUTE_MS);
}

/** The New York calendar day (epoch day number) holding a UTC instant. */
export function nyDayNumberOf(utcMs: number): number {
  return Math.floor((utcMs + newYorkOffsetMs(utcMs)) / DAY_MS);
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
