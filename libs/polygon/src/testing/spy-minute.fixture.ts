import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Candle, newYorkWallToUtc } from '@app/core';
import { type WireBar, candleOfWireBar } from './wire-bar';

const FILE = 'nt-spy-minute-2011-01.csv';
const BAR_MS = 60_000;

/** The New York days the fixture covers completely: 2011-01-03 .. 2011-01-31 (extended hours). */
export const SPY_FIXTURE_START = newYorkWallToUtc(Date.UTC(2011, 0, 3));
export const SPY_FIXTURE_END = newYorkWallToUtc(Date.UTC(2011, 1, 1));

let cached: WireBar[] | undefined;

/**
 * Real SPY one-minute bars (pyalgotrade test data, Apache-2.0; see test-fixtures/README.md),
 * ascending. Lines read `YYYYMMDD HHMMSS;open;high;low;close;volume` with the bar's END in
 * UTC, so each bar starts 60 s before its stamp. No VWAP or trade count: left out, as the
 * provider leaves out optional fields.
 */
export function spyMinuteBars(): readonly WireBar[] {
  if (cached) return cached;
  const bars: WireBar[] = [];
  for (const line of readFileSync(fixturePath(), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const [stamp, open, high, low, close, volume] = line.trim().split(';');
    const match = /^(\d{4})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})$/.exec(stamp);
    if (!match) throw new Error(`${FILE}: unreadable line "${line}"`);
    const [, y, mo, d, h, mi, s] = match.map(Number);
    const end = Date.UTC(y, mo - 1, d, h, mi, s);
    bars.push({ v: Number(volume), o: Number(open), c: Number(close), h: Number(high), l: Number(low), t: end - BAR_MS });
  }
  cached = bars;
  return bars;
}

/** The fixture as stored 1m candles (no VWAP or trade count in the source). */
export function spyMinuteCandles(): Candle[] {
  return spyMinuteBars().map((bar) => candleOfWireBar('SPY', '1m', bar));
}

/** Fixture bars with start in [from, to). */
export function spyMinuteBarsBetween(from: number, to: number): WireBar[] {
  const bars = spyMinuteBars();
  const first = lowerBound(bars, from);
  const result: WireBar[] = [];
  for (let i = first; i < bars.length && bars[i].t < to; i++) result.push({ ...bars[i] });
  return result;
}

function lowerBound(bars: readonly WireBar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Beside the sources in the repository; from the working directory when run from elsewhere. */
function fixturePath(): string {
  const candidates = [resolve(__dirname, '../../test-fixtures', FILE), join(process.cwd(), 'libs/polygon/test-fixtures', FILE)];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`SPY fixture not found; looked in ${candidates.join(', ')}`);
  return found;
}
