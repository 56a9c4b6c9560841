import { readFileSync } from 'fs';
import { join } from 'path';
import { isNyseTradingDay, nyseSession, tradingDays } from './trading-session';

/** Reference sessions: exchange_calendars' xnys.csv (see test-fixtures/README.md). */
function readReference(): Map<string, { open: string; close: string; breakStart: string; breakEnd: string }> {
  const lines = readFileSync(join(__dirname, '../test-fixtures/xnys.csv'), 'utf8').trim().split(/\r?\n/);
  expect(lines[0]).toBe(',open,close,break_start,break_end');
  return new Map(
    lines.slice(1).map((line) => {
      const [session, open, close, breakStart, breakEnd] = line.split(',');
      return [session.slice(0, 10), { open, close, breakStart, breakEnd }];
    }),
  );
}

const withoutMillis = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

describe('nyseSession against the reference sessions 1990-01-02 .. 2023-01-13', () => {
  const reference = readReference();

  it('holds every session of the reference file', () => {
    expect(reference.size).toBe(8324);
    expect([...reference.values()].every((row) => row.breakStart === '' && row.breakEnd === '')).toBe(true);
  });

  it('opens on exactly the reference days, at exactly the reference times', () => {
    const mismatches: string[] = [];
    let daysChecked = 0;
    for (let ms = Date.UTC(1990, 0, 2); ms <= Date.UTC(2023, 0, 13); ms += 86_400_000) {
      const day = new Date(ms).toISOString().slice(0, 10);
      const session = nyseSession(day);
      const expected = reference.get(day);
      const got = session ? `${withoutMillis(session.open)} ${withoutMillis(session.close)}` : 'closed';
      const want = expected ? `${expected.open} ${expected.close}` : 'closed';
      if (got !== want) mismatches.push(`${day}: got ${got}, want ${want}`);
      if (isNyseTradingDay(day) !== (expected !== undefined)) mismatches.push(`${day}: isNyseTradingDay disagrees`);
      daysChecked++;
    }
    expect(daysChecked).toBe(12_065);
    expect(mismatches).toEqual([]);
  });
});

describe('nyseSession', () => {
  it('gives regular and extended hours of a normal day in UTC', () => {
    expect(nyseSession('2024-03-12')).toEqual({
      date: '2024-03-12',
      open: new Date('2024-03-12T13:30:00Z'),
      close: new Date('2024-03-12T20:00:00Z'),
      extendedOpen: new Date('2024-03-12T08:00:00Z'),
      extendedClose: new Date('2024-03-13T00:00:00Z'),
      earlyClose: false,
    });
  });

  it('ends the regular session at 13:00 and after-hours at 17:00 on an early close', () => {
    expect(nyseSession('2024-11-29')).toEqual({
      date: '2024-11-29',
      open: new Date('2024-11-29T14:30:00Z'),
      close: new Date('2024-11-29T18:00:00Z'),
      extendedOpen: new Date('2024-11-29T09:00:00Z'),
      extendedClose: new Date('2024-11-29T22:00:00Z'),
      earlyClose: true,
    });
  });

  it('is null on holidays and weekends', () => {
    expect(nyseSession('2024-12-25')).toBeNull();
    expect(nyseSession('2024-03-09')).toBeNull();
    expect(isNyseTradingDay('2024-03-10')).toBe(false);
  });

  it('rejects malformed dates', () => {
    expect(() => nyseSession('2024-3-12')).toThrow(RangeError);
    expect(() => isNyseTradingDay('not a date')).toThrow(RangeError);
  });
});

describe('tradingDays', () => {
  it('lists trading days whose New York midnight falls in [from, to)', () => {
    expect(tradingDays(new Date('2024-12-23T00:00:00Z'), new Date('2025-01-03T00:00:00Z'))).toEqual([
      '2024-12-23',
      '2024-12-24',
      '2024-12-26',
      '2024-12-27',
      '2024-12-30',
      '2024-12-31',
      '2025-01-02',
    ]);
  });

  it('includes a day starting exactly at `from` and excludes one starting exactly at `to`', () => {
    const mondayMidnight = new Date('2024-03-11T04:00:00Z'); // 00:00 EDT
    const tuesdayMidnight = new Date('2024-03-12T04:00:00Z');
    expect(tradingDays(mondayMidnight, tuesdayMidnight)).toEqual(['2024-03-11']);
    expect(tradingDays(new Date(mondayMidnight.getTime() + 1), tuesdayMidnight)).toEqual([]);
  });

  it('counts the 252 NYSE trading days of 2024', () => {
    expect(tradingDays(new Date('2024-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'))).toHaveLength(252);
  });

  it('returns nothing for an empty range', () => {
    expect(tradingDays(new Date('2024-03-12T00:00:00Z'), new Date('2024-03-01T00:00:00Z'))).toEqual([]);
  });
});
