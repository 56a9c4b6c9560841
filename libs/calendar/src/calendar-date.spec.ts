import { dayNumberOf, easterSunday, lastWeekdayOfMonth, MONDAY, nthWeekdayOfMonth, THURSDAY, weekdayOf, ymdOf } from './calendar-date';

describe('calendar-date', () => {
  it('round-trips YYYY-MM-DD through day numbers', () => {
    expect(dayNumberOf('1970-01-01')).toBe(0);
    expect(dayNumberOf('1969-12-31')).toBe(-1);
    expect(ymdOf(dayNumberOf('2024-02-29'))).toBe('2024-02-29');
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-1-05', '20240105', '']) {
      expect(() => dayNumberOf(bad)).toThrow(RangeError);
    }
  });

  it('knows weekdays on both sides of the epoch', () => {
    expect(weekdayOf(dayNumberOf('1970-01-01'))).toBe(4); // Thursday
    expect(weekdayOf(dayNumberOf('1969-12-28'))).toBe(0); // Sunday
    expect(weekdayOf(dayNumberOf('2024-03-10'))).toBe(0);
  });

  it('finds nth and last weekdays of a month', () => {
    expect(ymdOf(nthWeekdayOfMonth(2025, 1, MONDAY, 3))).toBe('2025-01-20');
    expect(ymdOf(nthWeekdayOfMonth(2024, 11, THURSDAY, 4))).toBe('2024-11-28');
    expect(ymdOf(nthWeekdayOfMonth(2026, 9, MONDAY, 1))).toBe('2026-09-07');
    expect(ymdOf(lastWeekdayOfMonth(2025, 5, MONDAY))).toBe('2025-05-26');
    expect(ymdOf(lastWeekdayOfMonth(2021, 5, MONDAY))).toBe('2021-05-31');
  });

  it.each([
    [1818, '1818-03-22'], // earliest possible Easter
    [1943, '1943-04-25'], // latest possible Easter
    [2000, '2000-04-23'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2038, '2038-04-25'],
  ])('computes Easter %i as %s', (year, easter) => {
    expect(ymdOf(easterSunday(year))).toBe(easter);
  });
});
