import { InvalidFieldError } from './errors';
import { iso } from './time';

/** A half-open span of time [start, end), Unix ms. */
export interface TimeRange {
  start: number;
  end: number;
}

/** Sorted, non-empty, non-touching ranges. */
export function normalize(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

export function union(...sets: (readonly TimeRange[])[]): TimeRange[] {
  return normalize(sets.flat());
}

/** `from` minus `remove`. */
export function subtract(from: readonly TimeRange[], remove: readonly TimeRange[]): TimeRange[] {
  const holes = normalize(remove);
  const result: TimeRange[] = [];
  for (const range of normalize(from)) {
    let cursor = range.start;
    for (const hole of holes) {
      if (hole.end <= cursor) continue;
      if (hole.start >= range.end) break;
      if (hole.start > cursor) result.push({ start: cursor, end: hole.start });
      cursor = Math.max(cursor, hole.end);
      if (cursor >= range.end) break;
    }
    if (cursor < range.end) result.push({ start: cursor, end: range.end });
  }
  return result;
}

export function intersect(a: readonly TimeRange[], b: readonly TimeRange[]): TimeRange[] {
  const right = normalize(b);
  const result: TimeRange[] = [];
  for (const left of normalize(a)) {
    for (const other of right) {
      const start = Math.max(left.start, other.start);
      const end = Math.min(left.end, other.end);
      if (start < end) result.push({ start, end });
    }
  }
  return normalize(result);
}

export function totalLength(ranges: readonly TimeRange[]): number {
  return normalize(ranges).reduce((sum, r) => sum + (r.end - r.start), 0);
}

/**
 * A request's [start, end) must hold at least one instant. `endDefaulted`: the client gave no
 * end, so the error says it defaulted to `now`.
 */
export function requireStartBeforeEnd(range: TimeRange, endDefaulted: boolean): void {
  if (range.start < range.end) return;
  const endText = endDefaulted ? `end, which defaults to now (${iso(range.end)})` : `end (${iso(range.end)})`;
  throw new InvalidFieldError('start', `must be before ${endText}; got ${iso(range.start)}`);
}
