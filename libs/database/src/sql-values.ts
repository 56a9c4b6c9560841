import { QueryFailedError } from 'typeorm';
import { DatabaseError } from 'pg';

/** SQLSTATE of a unique (or primary key) violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * True when `error` is a unique violation: a QueryFailedError (any statement run through
 * TypeORM, on pg and on the in-process engine alike) whose driverError carries the code, or
 * pg's own DatabaseError from a raw client (the COPY path).
 */
export function isUniqueViolation(error: unknown): boolean {
  const driverError: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (driverError instanceof DatabaseError) return driverError.code === UNIQUE_VIOLATION;
  return driverError instanceof Error && 'code' in driverError && driverError.code === UNIQUE_VIOLATION;
}

/**
 * A Postgres array literal (`{"a","b",1.5,NULL}`), for parameters cast in SQL (`$1::text::float8[]`).
 * Plain JS arrays work as parameters on both engines; this is for the hot path, where the
 * generic parameter serialiser is the bottleneck. Numbers print in shortest round-trip form,
 * so float8 values arrive bit-for-bit; strings are quoted and escaped.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  return `{${values.map(elementLiteral).join(',')}}`;
}

function elementLiteral(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `"${value.replace(/["\\]/g, '\\$&')}"`;
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}
