import { createHash } from 'node:crypto';

/**
 * Postgres advisory locks take a bigint; we derive it from a readable name so each
 * lock (migrations, one backfill job per symbol and timeframe) is documented by its name.
 */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

export const MIGRATION_LOCK = 'market-data-api:migrations';
