import { QueryFailedError } from 'typeorm';

/** SQLSTATE of a unique (or primary key) violation. */
const UNIQUE_VIOLATION = '23505';
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The SQLSTATE of an error the server sent: a QueryFailedError (any statement run through TypeORM,
 * on pg and on the in-process engine alike) whose driverError carries it, or pg's own DatabaseError
 * from a raw client (the COPY path); both have a severity. A socket error's code (ECONNRESET, EPIPE) is not one.
 */
export function sqlStateOf(error: unknown): string | undefined {
  const driverError: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (!(driverError instanceof Error) || !('severity' in driverError) || !('code' in driverError)) return undefined;
  return typeof driverError.code === 'string' && SQLSTATE.test(driverError.code) ? driverError.code : undefined;
}

/** True when `error` is a unique violation, from any engine or path (see sqlStateOf). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === UNIQUE_VIOLATION;
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
