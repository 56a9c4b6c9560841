/**
 * What the DATABASE_URL database lets this instance do. `replica`: it refuses writes, either a
 * hot standby (pg_is_in_recovery()) or a server whose sessions start read-only
 * (default_transaction_read_only = on); the instance then migrates nothing and writes nothing.
 */
export type DatabaseRole = 'primary' | 'replica';

export interface RoleProbe {
  role: DatabaseRole;
  /** Why the database refuses writes (role replica). */
  readOnlyReason?: string;
  /** The primary's current WAL position, which replicas' replay is compared with (role primary). */
  walLsn?: string;
}

// CASE evaluates only the branch taken: pg_current_wal_lsn() raises an error during recovery.
const ROLE_PROBE_SQL = `
  SELECT pg_is_in_recovery() AS recovery,
         current_setting('default_transaction_read_only') = 'on' AS read_only,
         CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS lsn`;

interface RoleRow {
  recovery: boolean;
  read_only: boolean;
  lsn: string | null;
}

/** A pg_lsn text (`16/B374D848`) as one number, to compare WAL positions. */
export function lsnValue(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** Runs the role probe through any query function (a DataSource). */
export async function probeRole(query: (sql: string) => Promise<unknown>): Promise<RoleProbe> {
  const [row] = (await query(ROLE_PROBE_SQL)) as RoleRow[];
  if (row.recovery) return { role: 'replica', readOnlyReason: 'hot standby (pg_is_in_recovery() is true)' };
  if (row.read_only) return { role: 'replica', readOnlyReason: 'default_transaction_read_only is on', walLsn: row.lsn ?? undefined };
  return { role: 'primary', walLsn: row.lsn ?? undefined };
}

/**
 * How far a standby's replay is behind, in seconds: 0 when it has replayed everything it received
 * (or, given the primary's position, everything the primary had written), else the age of the
 * last transaction it replayed; null when it has replayed none since it started. Not a standby: 0.
 */
const REPLAY_LAG_SQL = `
  SELECT pg_is_in_recovery() AS standby,
         pg_last_wal_replay_lsn()::text AS replayed,
         CASE
           WHEN NOT pg_is_in_recovery() THEN 0
           WHEN $1::pg_lsn IS NOT NULL AND pg_last_wal_replay_lsn() >= $1::pg_lsn THEN 0
           WHEN $1::pg_lsn IS NULL AND pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
           ELSE greatest(0, extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()))
         END::float8 AS lag_seconds`;

export interface ReplayLag {
  standby: boolean;
  /** null: unknown (nothing replayed yet while behind). */
  lagSeconds: number | null;
  /** The WAL position replayed so far (a standby), as pg_lsn text. */
  replayedLsn?: string;
}

/** REPLAY_LAG_SQL against the primary's position `primaryLsn` (undefined: judged by what the standby received). */
export async function probeReplayLag(
  query: (sql: string, parameters: unknown[]) => Promise<unknown>,
  primaryLsn: string | undefined,
): Promise<ReplayLag> {
  const [row] = (await query(REPLAY_LAG_SQL, [primaryLsn ?? null])) as {
    standby: boolean;
    replayed: string | null;
    lag_seconds: number | null;
  }[];
  return { standby: row.standby, lagSeconds: row.lag_seconds, replayedLsn: row.replayed ?? undefined };
}
