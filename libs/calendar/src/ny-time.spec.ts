import { nyDateOf, nyWallTimeToUtc } from './ny-time';

const iso = (date: Date): string => date.toISOString();

/** Independent oracle: Intl straight, no caching. */
const intlNy = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const intlWall = (ms: number): string => intlNy.format(ms).replace(',', '');

describe('nyWallTimeToUtc', () => {
  it('uses EST in winter and EDT in summer', () => {
    expect(iso(nyWallTimeToUtc('2024-01-15', 9, 30))).toBe('2024-01-15T14:30:00.000Z');
    expect(iso(nyWallTimeToUtc('2024-07-15', 9, 30))).toBe('2024-07-15T13:30:00.000Z');
    expect(iso(nyWallTimeToUtc('2024-12-31', 0, 0))).toBe('2024-12-31T05:00:00.000Z');
  });

  it('handles the spring-forward day 2024-03-10 (02:00 EST -> 03:00 EDT)', () => {
    expect(iso(nyWallTimeToUtc('2024-03-10', 1, 59))).toBe('2024-03-10T06:59:00.000Z');
    expect(iso(nyWallTimeToUtc('2024-03-10', 3, 0))).toBe('2024-03-10T07:00:00.000Z');
    expect(iso(nyWallTimeToUtc('2024-03-10', 17, 0))).toBe('2024-03-10T21:00:00.000Z');
    // 02:30 does not exist that night; it is pushed forward by the hour gap.
    expect(iso(nyWallTimeToUtc('2024-03-10', 2, 30))).toBe('2024-03-10T07:30:00.000Z');
  });

  it('handles the fall-back day 2024-11-03 (02:00 EDT -> 01:00 EST)', () => {
    expect(iso(nyWallTimeToUtc('2024-11-03', 0, 59))).toBe('2024-11-03T04:59:00.000Z');
    // 01:30 happens twice; the earlier (EDT) instant wins.
    expect(iso(nyWallTimeToUtc('2024-11-03', 1, 30))).toBe('2024-11-03T05:30:00.000Z');
    expect(iso(nyWallTimeToUtc('2024-11-03', 2, 0))).toBe('2024-11-03T07:00:00.000Z');
    expect(iso(nyWallTimeToUtc('2024-11-03', 17, 0))).toBe('2024-11-03T22:00:00.000Z');
  });

  it('follows the pre-2007 DST rules (first Sunday of April, last Sunday of October)', () => {
    expect(iso(nyWallTimeToUtc('2006-04-02', 9, 30))).toBe('2006-04-02T13:30:00.000Z');
    expect(iso(nyWallTimeToUtc('2006-03-31', 9, 30))).toBe('2006-03-31T14:30:00.000Z');
    expect(iso(nyWallTimeToUtc('2006-10-27', 9, 30))).toBe('2006-10-27T13:30:00.000Z');
    expect(iso(nyWallTimeToUtc('2006-10-30', 9, 30))).toBe('2006-10-30T14:30:00.000Z');
  });

  it('agrees with Intl for 09:30 and 20:00 on every day 1990-2030', () => {
    const mismatches: string[] = [];
    for (let ms = Date.UTC(1990, 0, 1); ms < Date.UTC(2031, 0, 1); ms += 86_400_000) {
      const ymd = new Date(ms).toISOString().slice(0, 10);
      for (const [hh, mm, wall] of [
        [9, 30, '09:30'],
        [20, 0, '20:00'],
      ] as const) {
        const got = intlWall(nyWallTimeToUtc(ymd, hh, mm).getTime());
        if (got !== `${ymd} ${wall}`) mismatches.push(`${ymd} ${wall} -> ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('rejects invalid dates and times', () => {
    expect(() => nyWallTimeToUtc('2024-02-30', 9, 30)).toThrow(RangeError);
    expect(() => nyWallTimeToUtc('2024-02-01', 24, 0)).toThrow(RangeError);
    expect(() => nyWallTimeToUtc('2024-02-01', 9, 60)).toThrow(RangeError);
    expect(() => nyWallTimeToUtc('2024-02-01', 9.5, 0)).toThrow(RangeError);
  });
});

describe('nyDateOf', () => {
  it('switches date at New York midnight, across both DST changes', () => {
    expect(nyDateOf(new Date('2024-03-10T04:59:59.999Z'))).toBe('2024-03-09');
    expect(nyDateOf(new Date('2024-03-10T05:00:00.000Z'))).toBe('2024-03-10');
    expect(nyDateOf(new Date('2024-03-11T03:59:59.999Z'))).toBe('2024-03-10');
    expect(nyDateOf(new Date('2024-03-11T04:00:00.000Z'))).toBe('2024-03-11');
    expect(nyDateOf(new Date('2024-11-03T03:59:59.999Z'))).toBe('2024-11-02');
    expect(nyDateOf(new Date('2024-11-03T04:00:00.000Z'))).toBe('2024-11-03');
    expect(nyDateOf(new Date('2024-11-04T04:59:59.999Z'))).toBe('2024-11-03');
    expect(nyDateOf(new Date('2024-11-04T05:00:00.000Z'))).toBe('2024-11-04');
  });

  it('agrees with Intl every 37 minutes through 2023-2025', () => {
    const mismatches: string[] = [];
    for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 37 * 60_000) {
      const expected = intlWall(ms).slice(0, 10);
      if (nyDateOf(new Date(ms)) !== expected) mismatches.push(new Date(ms).toISOString());
    }
    expect(mismatches).toEqual([]);
  });

  it('rejects an invalid Date', () => {
    expect(() => nyDateOf(new Date(NaN))).toThrow(RangeError);
  });
});
