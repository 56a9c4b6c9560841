import { assetClassOf, type TimeRange } from '@app/core';
import { weekdayOf } from './calendar-date';
import { nyDayNumberOf, nyDayTimeToUtcMs, validMs } from './ny-time';
import { nyseSessionMs } from './trading-session';

/** 'extended' = 04:00-20:00 New York for stocks; 'regular' = 09:30-16:00 (13:00 on early closes). */
export type SessionKind = 'regular' | 'extended';

export interface TradingWindow {
  start: Date;
  end: Date;
}

/** Forex trades from Sunday 17:00 to Friday 17:00 New York time. */
const FOREX_ROLL_MINUTE = 17 * 60;

function nyseWindows(fromMs: number, toMs: number, session: SessionKind): TimeRange[] {
  const windows: TimeRange[] = [];
  const lastDay = nyDayNumberOf(toMs - 1);
  for (let day = nyDayNumberOf(fromMs); day <= lastDay; day++) {
    const s = nyseSessionMs(day);
    if (!s) continue;
    windows.push(session === 'regular' ? { start: s.openMs, end: s.closeMs } : { start: s.extendedOpenMs, end: s.extendedCloseMs });
  }
  return windows;
}

function forexWindows(fromMs: number, toMs: number): TimeRange[] {
  const windows: TimeRange[] = [];
  const firstDay = nyDayNumberOf(fromMs);
  for (let sunday = firstDay - weekdayOf(firstDay); ; sunday += 7) {
    const start = nyDayTimeToUtcMs(sunday, FOREX_ROLL_MINUTE);
    if (start >= toMs) break;
    windows.push({ start, end: nyDayTimeToUtcMs(sunday + 5, FOREX_ROLL_MINUTE) });
  }
  return windows;
}

/** Indices are only computed during the regular session, whatever `session` asks for. */
function marketWindows(symbol: string, fromMs: number, toMs: number, session: SessionKind): TimeRange[] {
  switch (assetClassOf(symbol)) {
    case 'crypto':
      return [{ start: fromMs, end: toMs }];
    case 'forex':
      return forexWindows(fromMs, toMs);
    case 'indices':
      return nyseWindows(fromMs, toMs, 'regular');
    case 'stocks':
      return nyseWindows(fromMs, toMs, session);
  }
}

/** Clips sorted windows to [fromMs, toMs) and joins any that touch. */
function clipAndMerge(windows: TimeRange[], fromMs: number, toMs: number): TimeRange[] {
  const merged: TimeRange[] = [];
  for (const window of windows) {
    const start = Math.max(window.start, fromMs);
    const end = Math.min(window.end, toMs);
    if (start >= end) continue;
    const last = merged[merged.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

function openWindowsMs(symbol: string, fromMs: number, toMs: number, session: SessionKind): TimeRange[] {
  if (fromMs >= toMs) return [];
  return clipAndMerge(marketWindows(symbol, fromMs, toMs, session), fromMs, toMs);
}

/** Periods in [from, to) when `symbol`'s market is open, merged and in order. */
export function tradingWindows(symbol: string, from: Date, to: Date, session: SessionKind = 'extended'): TradingWindow[] {
  return openWindowsMs(symbol, validMs(from), validMs(to), session).map(({ start, end }) => ({
    start: new Date(start),
    end: new Date(end),
  }));
}

export function isMarketOpen(symbol: string, at: Date, session: SessionKind = 'extended'): boolean {
  const atMs = validMs(at);
  return openWindowsMs(symbol, atMs, atMs + 1, session).length > 0;
}

/**
 * UTC ms starts of every epoch-aligned `timeframeMs` bucket that overlaps an open period
 * in [from, to): the intraday bars a complete feed should contain. A bucket's start may
 * precede `from` when the bucket straddles it.
 */
export function expectedBarStarts(symbol: string, timeframeMs: number, from: Date, to: Date, session: SessionKind = 'extended'): number[] {
  if (!Number.isSafeInteger(timeframeMs) || timeframeMs <= 0)
    throw new RangeError(`timeframeMs must be a positive integer, got ${timeframeMs}`);
  const starts: number[] = [];
  for (const { start, end } of openWindowsMs(symbol, validMs(from), validMs(to), session)) {
    let bucket = Math.floor(start / timeframeMs) * timeframeMs;
    // A coarse bucket can span two windows (e.g. 4h bars over an overnight gap): count it once.
    if (starts.length > 0 && bucket <= starts[starts.length - 1]) bucket += timeframeMs;
    for (; bucket < end; bucket += timeframeMs) starts.push(bucket);
  }
  return starts;
}
