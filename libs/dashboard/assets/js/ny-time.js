/**
 * New York time for people; UTC for the API. Bars keep the instants the API stamps them with;
 * only their labels are New York wall time (the exchange's clock, DST included).
 */

const ZONE = 'America/New_York';
const MINUTE_MS = 60_000;

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
// One Intl formatter (the time zone needs it); names are ours, each extra formatter would load locale data.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * @param {number} ms
 * @returns {{ year: number, month: number, day: number, hour: number, minute: number, second: number }}
 */
export function newYorkParts(ms) {
  /** @type {Record<string, string>} */
  const parts = {};
  for (const { type, value } of partsFormat.formatToParts(ms)) parts[type] = value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const pad = (n) => String(n).padStart(2, '0');

/** "2011-01-31 09:30" (New York). */
export function newYorkDateTime(ms) {
  const p = newYorkParts(ms);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "Mon 2011-01-31 09:30" (New York). */
export function newYorkLabel(ms) {
  const p = newYorkParts(ms);
  return `${WEEKDAYS[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()]} ${newYorkDateTime(ms)}`;
}

/** "09:30" (New York). */
export function newYorkClock(ms) {
  const p = newYorkParts(ms);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** "Jan 31" (New York). */
export function newYorkMonthDay(ms) {
  const p = newYorkParts(ms);
  return `${MONTHS[p.month - 1]} ${p.day}`;
}

/** "Jan" (New York). */
export const newYorkMonth = (ms) => MONTHS[newYorkParts(ms).month - 1];
export const newYorkYear = (ms) => String(newYorkParts(ms).year);

/** New York's offset from UTC at `ms`, in ms (e.g. -5 h in winter). */
function offsetAt(ms) {
  const p = newYorkParts(ms);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant at which New York's clock reads `wall` (wall time written as if it were UTC). */
function newYorkWallToUtc(wall) {
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}

/** For <input type="datetime-local">: "2011-01-31T09:30" in New York. */
export function toLocalInputValue(ms) {
  return newYorkDateTime(ms).replace(' ', 'T');
}

/** From <input type="datetime-local"> (New York) to a UTC instant; NaN when empty or malformed. */
export function fromLocalInputValue(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return Number.NaN;
  const [, y, mo, d, hh, mm] = match.map(Number);
  return newYorkWallToUtc(Date.UTC(y, mo - 1, d, hh, mm));
}

/** An instant as the API takes it: ISO-8601 UTC. */
export const iso = (ms) => new Date(ms).toISOString();

/** Rounds down to the minute (the finest bar). */
export function floorToMinute(ms) {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}
