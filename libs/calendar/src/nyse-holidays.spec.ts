import { nyseHoliday } from './nyse-holidays';
import { NYSE_SPECIAL_CLOSURES, NYSE_SPECIAL_EARLY_CLOSES } from './nyse-special-sessions';
import { nyseSession } from './trading-session';

/** NYSE's published holiday and early-close calendars (early closes are 13:00 New York). */
const PUBLISHED: Record<number, { holidays: string[]; earlyCloses: Record<string, string> }> = {
  2023: {
    holidays: [
      '2023-01-02',
      '2023-01-16',
      '2023-02-20',
      '2023-04-07',
      '2023-05-29',
      '2023-06-19',
      '2023-07-04',
      '2023-09-04',
      '2023-11-23',
      '2023-12-25',
    ],
    earlyCloses: { '2023-07-03': '2023-07-03T17:00:00.000Z', '2023-11-24': '2023-11-24T18:00:00.000Z' },
  },
  2024: {
    holidays: [
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-03-29',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-11-28',
      '2024-12-25',
    ],
    earlyCloses: {
      '2024-07-03': '2024-07-03T17:00:00.000Z',
      '2024-11-29': '2024-11-29T18:00:00.000Z',
      '2024-12-24': '2024-12-24T18:00:00.000Z',
    },
  },
  2025: {
    holidays: [
      '2025-01-01',
      '2025-01-09',
      '2025-01-20',
      '2025-02-17',
      '2025-04-18',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ],
    earlyCloses: {
      '2025-07-03': '2025-07-03T17:00:00.000Z',
      '2025-11-28': '2025-11-28T18:00:00.000Z',
      '2025-12-24': '2025-12-24T18:00:00.000Z',
    },
  },
  2026: {
    holidays: [
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ],
    earlyCloses: { '2026-11-27': '2026-11-27T18:00:00.000Z', '2026-12-24': '2026-12-24T18:00:00.000Z' },
  },
};

function weekdaysOf(year: number): string[] {
  const days: string[] = [];
  for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 86_400_000) {
    const weekday = new Date(ms).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}

describe('NYSE holidays against the published calendars', () => {
  describe.each(Object.entries(PUBLISHED))('%s', (year, { holidays, earlyCloses }) => {
    const weekdays = weekdaysOf(Number(year));

    it('closes on exactly the published holidays', () => {
      expect(weekdays.filter((day) => nyseSession(day) === null)).toEqual(holidays);
      expect(weekdays.filter((day) => nyseHoliday(day) !== null)).toEqual(holidays);
    });

    it('closes early at 13:00 on exactly the published days', () => {
      const early = weekdays.filter((day) => nyseSession(day)?.earlyClose);
      expect(early).toEqual(Object.keys(earlyCloses));
      for (const day of early) expect(nyseSession(day)?.close.toISOString()).toBe(earlyCloses[day]);
    });
  });
});

describe('nyseHoliday', () => {
  it.each([
    ['2025-01-01', "New Year's Day"],
    ['2025-01-09', 'National Day of Mourning for President Jimmy Carter'],
    ['2025-01-20', 'Martin Luther King, Jr. Day'],
    ['2025-02-17', "Washington's Birthday"],
    ['2025-04-18', 'Good Friday'],
    ['2025-05-26', 'Memorial Day'],
    ['2025-06-19', 'Juneteenth National Independence Day'],
    ['2026-07-03', 'Independence Day'],
    ['2025-09-01', 'Labor Day'],
    ['2025-11-27', 'Thanksgiving Day'],
    ['2021-12-24', 'Christmas Day'],
    ['2023-01-02', "New Year's Day"],
    ['2022-06-20', 'Juneteenth National Independence Day'],
    ['2027-06-18', 'Juneteenth National Independence Day'],
    ['2012-10-29', 'Hurricane Sandy'],
  ])('%s is %s', (day, name) => {
    expect(nyseHoliday(day)).toBe(name);
  });

  it('does not move a Saturday New Year onto Friday Dec 31', () => {
    for (const day of ['1993-12-31', '1999-12-31', '2004-12-31', '2010-12-31', '2021-12-31', '2027-12-31']) {
      expect(nyseHoliday(day)).toBeNull();
      expect(nyseSession(day)).not.toBeNull();
    }
  });

  it('starts MLK Day in 1998 and Juneteenth in 2022', () => {
    expect(nyseHoliday('1997-01-20')).toBeNull();
    expect(nyseHoliday('1998-01-19')).toBe('Martin Luther King, Jr. Day');
    expect(nyseHoliday('2021-06-18')).toBeNull(); // Juneteenth 2021 fell on a Saturday, before NYSE adopted it
  });

  it('returns null for weekends and trading days', () => {
    expect(nyseHoliday('2022-01-01')).toBeNull(); // Saturday New Year
    expect(nyseHoliday('2024-07-06')).toBeNull();
    expect(nyseHoliday('2024-07-05')).toBeNull();
  });

  it('reports every special closure by name, and keeps special early closes open', () => {
    for (const { date, name } of NYSE_SPECIAL_CLOSURES) expect(nyseHoliday(date)).toBe(name);
    for (const { date, closeHour } of NYSE_SPECIAL_EARLY_CLOSES) {
      const session = nyseSession(date);
      expect(session?.earlyClose).toBe(true);
      // All special early closes so far fall in December (EST, UTC-5).
      expect(session?.close.toISOString()).toBe(`${date}T${String(closeHour + 5).padStart(2, '0')}:00:00.000Z`);
    }
  });
});
