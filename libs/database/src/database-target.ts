import { UnavailableError } from '@app/core';
import type { DatabaseRole } from './database-role';
import type { ReplicaStatus } from './read-replica';
/** Where the service's data lives, decided once at boot. */
export type DatabaseTarget =
  | { kind: 'url'; url: string }
  | { kind: 'embedded'; dataDir: string }
  /** A pg-compatible driver object (tests: in-process TimescaleDB on PGlite). */
  | { kind: 'driver'; driver: unknown; label: string };

export const DATABASE_TARGET = Symbol('DATABASE_TARGET');

export type Engine = 'postgresql' | 'timescaledb';

export interface DatabaseStatus {
  connected: boolean;
  engine?: Engine;
  timescaledb: boolean;
  /** Why TimescaleDB is not used, when it is not. */
  timescaledbReason?: string;
  /** What to change on the server to use it, when that is known. */
  timescaledbFix?: string;
  serverVersion?: string;
  embedded: boolean;
  migrations: { applied: number; pending: number };
  /** replica: DATABASE_URL refuses writes (hot standby or default_transaction_read_only); primary until known. */
  role: DatabaseRole;
  /** Why it refuses writes (role replica). */
  readOnlyReason?: string;
  /** Role replica on a hot standby: how far its replay is behind, in seconds (null: unknown). */
  replayLagSeconds?: number | null;
  /** The read replicas of DATABASE_REPLICA_URLS, as last probed. */
  replicas: ReplicaStatus[];
  /** Why the database is not usable, without credentials. */
  error?: string;
}

/** Thrown by anything that needs the database while it is down; a 503 over HTTP. */
export class DatabaseUnavailableError extends UnavailableError {
  constructor(reason = 'the database is not reachable yet') {
    super(`Database unavailable: ${reason}`);
  }
}
