import {
  dayNumberOf,
  dayNumberOfDate,
  easterSunday,
  isWeekend,
  lastWeekdayOfMonth,
  MONDAY,
  nthWeekdayOfMonth,
  SATURDAY,
  SUNDAY,
  THURSDAY,
  weekdayOf,
  yearOf,
} from './calendar-date';
import { NYSE_SPECIAL_CLOSURES, NYSE_SPECIAL_EARLY_CLOSES } from './nyse-special-sessions';

/**
 * NYSE holiday and early-close rules (NYSE Rule 7.2) as applied since 1990; checked against
 * reference sessions 1990-2023 and the published calendars 2023-2026. Years before 1990 get
 * the same rules, which NYSE did not necessarily use then.
 */
type DateRule = (year: number) => number | null;

interface NyseYear {
  /** Weekday closures: day number -> holiday name. */
  closures: Map<number, string>;
  /** Early closes: day number -> regular close in minutes after New York midnight. */
  earlyCloses: Map<number, number>;
}

/** Saturday holidays are observed on Friday, Sunday holidays on Monday. */
function observed(dayNumber: number): number {
  const weekday = weekdayOf(dayNumber);
  if (weekday === SATURDAY) return dayNumber - 1;
  if (weekday === SUNDAY) return dayNumber + 1;
  return dayNumber;
}

/** NYSE never moves New Year's Day onto Friday Dec 31 (it would close the old year's books early). */
function newYearsDay(year: number): number | null {
  const jan1 = dayNumberOfDate(year, 1, 1);
  return weekdayOf(jan1) === SATURDAY ? null : observed(jan1);
}

const HOLIDAY_RULES: ReadonlyArray<{ name: string; dateIn: DateRule }> = [
  { name: "New Year's Day", dateIn: newYearsDay },
  { name: 'Martin Luther King, Jr. Day', dateIn: (y) => (y >= 1998 ? nthWeekdayOfMonth(y, 1, MONDAY, 3) : null) },
  { name: "Washington's Birthday", dateIn: (y) => nthWeekdayOfMonth(y, 2, MONDAY, 3) },
  { name: 'Good Friday', dateIn: (y) => easterSunday(y) - 2 },
  { name: 'Memorial Day', dateIn: (y) => lastWeekdayOfMonth(y, 5, MONDAY) },
  { name: 'Juneteenth National Independence Day', dateIn: (y) => (y >= 2022 ? observed(dayNumberOfDate(y, 6, 19)) : null) },
  { name: 'Independence Day', dateIn: (y) => observed(dayNumberOfDate(y, 7, 4)) },
  { name: 'Labor Day', dateIn: (y) => nthWeekdayOfMonth(y, 9, MONDAY, 1) },
  { name: 'Thanksgiving Day', dateIn: (y) => nthWeekdayOfMonth(y, 11, THURSDAY, 4) },
  { name: 'Christmas Day', dateIn: (y) => observed(dayNumberOfDate(y, 12, 25)) },
];

/**
 * July 3 closes early when it is a weekday trading day (from 1995). When July 4 is a
 * Thursday, NYSE shortened Friday July 5 instead until 2012, Wednesday July 3 since 2013.
 */
function independenceDayEarlyClose(year: number): number | null {
  if (year < 1995) return null;
  const july4 = dayNumberOfDate(year, 7, 4);
  if (weekdayOf(july4) === THURSDAY && year < 2013) return july4 + 1;
  return weekdayOf(july4) === MONDAY ? null : july4 - 1;
}

const EARLY_CLOSE_RULES: readonly DateRule[] = [
  independenceDayEarlyClose,
  (y) => (y >= 1992 ? nthWeekdayOfMonth(y, 11, THURSDAY, 4) + 1 : null), // day after Thanksgiving
  (y) => dayNumberOfDate(y, 12, 24), // Christmas Eve
];

/** Early closes were at 14:00 until 1992 and at 13:00 since 1993. */
function earlyCloseMinuteIn(year: number): number {
  return (year < 1993 ? 14 : 13) * 60;
}

function byYear<T extends { date: string }>(events: readonly T[]): Map<number, T[]> {
  const index = new Map<number, T[]>();
  for (const event of events) {
    const year = Number(event.date.slice(0, 4));
    index.set(year, [...(index.get(year) ?? []), event]);
  }
  return index;
}

const specialClosuresByYear = byYear(NYSE_SPECIAL_CLOSURES);
const specialEarlyClosesByYear = byYear(NYSE_SPECIAL_EARLY_CLOSES);
const yearCache = new Map<number, NyseYear>();

function buildYear(year: number): NyseYear {
  const closures = new Map<number, string>();
  for (const { name, dateIn } of HOLIDAY_RULES) {
    const day = dateIn(year);
    if (day !== null && !isWeekend(day)) closures.set(day, name);
  }
  for (const { date, name } of specialClosuresByYear.get(year) ?? []) closures.set(dayNumberOf(date), name);

  const earlyCloses = new Map<number, number>();
  for (const dateIn of EARLY_CLOSE_RULES) {
    const day = dateIn(year);
    if (day !== null && !isWeekend(day) && !closures.has(day)) earlyCloses.set(day, earlyCloseMinuteIn(year));
  }
  for (const { date, closeHour } of specialEarlyClosesByYear.get(year) ?? []) earlyCloses.set(dayNumberOf(date), closeHour * 60);
  return { closures, earlyCloses };
}

function nyseYear(year: number): NyseYear {
  let rules = yearCache.get(year);
  if (!rules) {
    rules = buildYear(year);
    yearCache.set(year, rules);
  }
  return rules;
}

/** Name of the holiday or special closure shutting NYSE on this weekday, else null. */
export function nyseClosureOn(dayNumber: number): string | null {
  return nyseYear(yearOf(dayNumber)).closures.get(dayNumber) ?? null;
}

/** Regular close (minutes after New York midnight) when the day closes early, else null. */
export function nyseEarlyCloseMinuteOn(dayNumber: number): number | null {
  return nyseYear(yearOf(dayNumber)).earlyCloses.get(dayNumber) ?? null;
}

/** Holiday name for a weekday NYSE is closed ('2025-04-18' -> 'Good Friday'); null for weekends and trading days. */
export function nyseHoliday(dateYmd: string): string | null {
  return nyseClosureOn(dayNumberOf(dateYmd));
}
