import { isoTime } from './iso-time';

describe('isoTime', () => {
  it.each([
    0,
    -1,
    1,
    59_999,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2024, 0, 2, 14, 30),
    Date.UTC(1969, 11, 31, 23, 0),
    -62_167_219_200_000, // 0000-01-01
    253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    253_402_300_800_000, // +010000-01-01: toISOString's extended form
    8.64e15,
    1.5,
  ])('formats %d exactly as toISOString does', (ms) => {
    expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('agrees with toISOString over a run of minutes crossing days, in both directions', () => {
    const start = Date.UTC(2023, 11, 31, 22);
    const times = Array.from({ length: 6 * 60 }, (_, i) => start + i * 60_000);
    for (const ms of [...times, ...times.reverse()]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
