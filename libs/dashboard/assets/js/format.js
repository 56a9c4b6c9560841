/** Number, byte, percent and duration formatting for people. */

// Written out by hand rather than with Intl.NumberFormat: creating Intl formatters loads locale data,
// which costs the first chart tens of milliseconds for a thousands separator.

/** 1234567 -> "1,234,567". */
function grouped(value) {
  const [whole, fraction] = String(Math.abs(value)).split('.');
  const digits = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${digits}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** @type {[number, string][]} */
const COMPACT_UNITS = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** @param {number | null | undefined} value */
export function count(value) {
  return value === null || value === undefined ? '—' : grouped(Math.round(value));
}

/** @param {number | null | undefined} value */
export function compact(value) {
  if (value === null || value === undefined) return '—';
  for (const [size, unit] of COMPACT_UNITS) {
    if (Math.abs(value) >= size) return `${Number((value / size).toFixed(1))}${unit}`;
  }
  return String(Number(value.toFixed(1)));
}

/** A price with as many decimals as it needs (at least 2, at most 6). */
export function price(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const decimals = Math.abs(value) >= 1000 ? 2 : Math.abs(value) >= 1 ? 4 : 6;
  return value.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1');
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** @param {number | null | undefined} bytes */
export function bytes(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${BYTE_UNITS[unit]}`;
}

/** @param {number | null | undefined} ratio 0..1 */
export function percentOfRatio(ratio) {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)} %`;
}

/** @param {number | null | undefined} percent 0..100 */
export function percent(percent) {
  return percent === null || percent === undefined ? '—' : `${percent.toFixed(percent < 10 ? 2 : 1)} %`;
}

/** Seconds (as the monitor reports them) in milliseconds. */
export function seconds(value) {
  if (value === null || value === undefined) return '—';
  const ms = value * 1000;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** "3 min ago", "in 20 s". */
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return '—';
  const diff = (Date.parse(iso) - now) / 1000;
  const abs = Math.abs(diff);
  const amount =
    abs < 60
      ? `${Math.round(abs)} s`
      : abs < 3600
        ? `${Math.round(abs / 60)} min`
        : abs < 86400
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86400)} d`;
  if (abs < 1) return 'now';
  return diff < 0 ? `${amount} ago` : `in ${amount}`;
}
