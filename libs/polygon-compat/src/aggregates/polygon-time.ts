import { DAY_MS, newYorkWallToUtc } from '@app/core';
import { PolygonRequestError } from '../http/polygon-request.error';

const UNIX_MS = /^\d{1,15}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Which end of a range a time names: dates mean the start of their New York day, or its last millisecond. */
export type RangeEnd = 'from' | 'to';

/**
 * A time parameter as the provider reads it: Unix milliseconds, or a YYYY-MM-DD New York date
 * standing for the whole day (both ends inclusive). The refusal is the provider's own words
 * (polygon-io/issues#312), so client code matching on them keeps working.
 */
export function parsePolygonTime(text: string, end: RangeEnd, field: string = end): number {
  const value = newYorkInstant(text, end);
  if (value === undefined) {
    throw new PolygonRequestError(400, 'ERROR', `Could not parse the time parameter: '${field}'. Use YYYY-MM-DD or Unix MS Timestamps`);
  }
  return value;
}

/** As parsePolygonTime, without the error: undefined when `text` is neither form. */
export function newYorkInstant(text: string, end: RangeEnd): number | undefined {
  if (UNIX_MS.test(text)) return Number(text);
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const wallMidnight = Date.UTC(year, month - 1, day);
  const check = new Date(wallMidnight);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return end === 'from' ? newYorkWallToUtc(wallMidnight) : newYorkWallToUtc(wallMidnight + DAY_MS) - 1;
}
