import { dayNumberOf, isWeekend, ymdOf } from './calendar-date';
import { nyseClosureOn, nyseEarlyCloseMinuteOn } from './nyse-holidays';
import { nyDayNumberOf, nyDayTimeToUtcMs, validMs } from './ny-time';

/** NYSE session times, New York wall clock in minutes after midnight. */
const EXTENDED_OPEN = 4 * 60;
const REGULAR_OPEN = 9 * 60 + 30;
const REGULAR_CLOSE = 16 * 60;
const EXTENDED_CLOSE = 20 * 60;
/** On early-close days the after-hours session ends at 17:00 instead of 20:00. */
const EARLY_EXTENDED_CLOSE = 17 * 60;

export interface NyseSession {
  date: string;
  open: Date;
  close: Date;
  extendedOpen: Date;
  extendedClose: Date;
  earlyClose: boolean;
}

/** The same session as UTC ms, for the hot loops in market-calendar.ts. */
export interface SessionMs {
  openMs: number;
  closeMs: number;
  extendedOpenMs: number;
  extendedCloseMs: number;
  earlyClose: boolean;
}

export function isNyseTradingDayNumber(dayNumber: number): boolean {
  return !isWeekend(dayNumber) && nyseClosureOn(dayNumber) === null;
}

export function nyseSessionMs(dayNumber: number): SessionMs | null {
  if (!isNyseTradingDayNumber(dayNumber)) return null;
  const earlyCloseMinute = nyseEarlyCloseMinuteOn(dayNumber);
  const earlyClose = earlyCloseMinute !== null;
  return {
    openMs: nyDayTimeToUtcMs(dayNumber, REGULAR_OPEN),
    closeMs: nyDayTimeToUtcMs(dayNumber, earlyCloseMinute ?? REGULAR_CLOSE),
    extendedOpenMs: nyDayTimeToUtcMs(dayNumber, EXTENDED_OPEN),
    extendedCloseMs: nyDayTimeToUtcMs(dayNumber, earlyClose ? EARLY_EXTENDED_CLOSE : EXTENDED_CLOSE),
    earlyClose,
  };
}

/** NYSE session of a New York date, or null when the exchange is closed that day. */
export function nyseSession(dateYmd: string): NyseSession | null {
  const session = nyseSessionMs(dayNumberOf(dateYmd));
  if (!session) return null;
  return {
    date: dateYmd,
    open: new Date(session.openMs),
    close: new Date(session.closeMs),
    extendedOpen: new Date(session.extendedOpenMs),
    extendedClose: new Date(session.extendedCloseMs),
    earlyClose: session.earlyClose,
  };
}

export function isNyseTradingDay(dateYmd: string): boolean {
  return isNyseTradingDayNumber(dayNumberOf(dateYmd));
}

/**
 * NYSE trading days (YYYY-MM-DD) whose New York midnight lies in [from, to): exactly the
 * day bars to expect, since the provider stamps day bars at 00:00 America/New_York.
 */
export function tradingDays(from: Date, to: Date): string[] {
  const fromMs = validMs(from);
  const toMs = validMs(to);
  const days: string[] = [];
  for (let day = nyDayNumberOf(fromMs); ; day++) {
    const midnightMs = nyDayTimeToUtcMs(day, 0);
    if (midnightMs >= toMs) break;
    if (midnightMs >= fromMs && isNyseTradingDayNumber(day)) days.push(ymdOf(day));
  }
  return days;
}
