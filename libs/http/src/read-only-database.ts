/** SQLSTATE 25006, read_only_sql_transaction: a write reached a database that refuses them (a hot standby). */
const READ_ONLY_SQL_TRANSACTION = '25006';

export const READ_ONLY_DATABASE_MESSAGE =
  'The database of this instance is read-only (a hot-standby replica, or default_transaction_read_only is on), so it makes no changes. ' +
  'Send writes to an instance whose DATABASE_URL is the primary; reads are served here.';

/**
 * True for a write the database refused as read-only: TypeORM's QueryFailedError (which copies the
 * driver's fields) or pg's own error from a raw client. The write routes are refused before they
 * run on such an instance; this is the backstop for any other path, so it answers 503, never 500.
 */
export function isReadOnlyDatabaseRefusal(exception: unknown): boolean {
  if (!(exception instanceof Error)) return false;
  const { code, driverError } = exception as Error & { code?: unknown; driverError?: { code?: unknown } };
  return code === READ_ONLY_SQL_TRANSACTION || driverError?.code === READ_ONLY_SQL_TRANSACTION;
}
