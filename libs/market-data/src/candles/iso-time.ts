const DAY_MS = 86_400_000;
/** 0000-01-01 .. 9999-12-31: where toISOString has the plain YYYY-MM-DDTHH:mm:ss.sssZ shape. */
const PLAIN_FROM = -62_167_219_200_000;
const PLAIN_TO = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * Same text as `new Date(ms).toISOString()`, several times faster for runs of bars on the
 * same day (the date part is formatted once per day): pages hold up to 50,000 bars.
 */
export function isoTime(ms: number): string {
  if (!(ms >= PLAIN_FROM && ms < PLAIN_TO) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${cachedPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}
