import { DAY_MS, newYorkWallToUtc } from '@app/core';
import { parseInstant } from '@app/http';
import { PolygonRequestError } from '../http/polygon-request.error';

const UNIX_MS = /^\d{1,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Which end of a range a time names: dates mean the start of their New York day, or its last millisecond. */
export type RangeEnd = 'from' | 'to';

/**
 * A time parameter as the provider reads it: Unix milliseconds, or a YYYY-MM-DD New York date
 * standing for the whole day (both ends inclusive). The refusal is the provider's own words
 * (polygon-io/issues#312), so client code matching on them keeps working.
 */
export function parsePolygonTime(text: string, end: RangeEnd): number {
  const value = newYorkInstant(text, end);
  if (value === undefined) {
    throw new PolygonRequestError(400, 'ERROR', `Could not parse the time parameter: '${end}'. Use YYYY-MM-DD or Unix MS Timestamps`);
  }
  return value;
}

/** As parsePolygonTime, without the error: undefined when `text` is neither form. */
export function newYorkInstant(text: string, end: RangeEnd): number | undefined {
  if (UNIX_MS.test(text)) return Number(text);
  // parseInstant reads a date as UTC midnight, which is the day's New York wall-clock midnight; it refuses 2024-02-30.
  const wallMidnight = DATE.test(text) ? parseInstant(text) : undefined;
  if (wallMidnight === undefined) return undefined;
  return end === 'from' ? newYorkWallToUtc(wallMidnight) : newYorkWallToUtc(wallMidnight + DAY_MS) - 1;
}
