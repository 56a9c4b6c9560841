import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DatabaseTarget, EmbeddedPostgresEngine, Engine } from '@app/database';
import { PGliteDriver } from './pglite-driver';
import { SERVER_ENV } from './global-setup';

/** Both engines, for tests whose point is comparing them (they ignore TEST_ENGINES). */
export const ALL_ENGINES: Engine[] = ['postgresql', 'timescaledb'];

/** Engines a test runs on; TEST_ENGINES=postgresql narrows a run (CI's pass against the machine's server). */
export const ENGINES: Engine[] = (process.env.TEST_ENGINES ?? 'postgresql,timescaledb')
  .split(',')
  .map((engine) => engine.trim())
  .filter((engine): engine is Engine => engine === 'postgresql' || engine === 'timescaledb');

export interface TestDatabase {
  engine: Engine;
  target: DatabaseTarget;
  /** Drops the per-file database (PostgreSQL) or closes the in-process engine (TimescaleDB). */
  dispose(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: its own database on the run's PostgreSQL
 * server, or a new in-process TimescaleDB (PGlite). Migrations run when the app boots.
 */
export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'timescaledb') {
    const driver = await PGliteDriver.create();
    return {
      engine,
      target: { kind: 'driver', driver: driver.pgModule, label: 'pglite-timescaledb' },
      dispose: () => driver.close(),
    };
  }
  const serverUrl = process.env[SERVER_ENV];
  if (!serverUrl) throw new Error('no test PostgreSQL server: run tests through jest (globalSetup starts one)');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const url = await EmbeddedPostgresEngine.ensureDatabase(serverUrl, name);
  return {
    engine,
    target: { kind: 'url', url },
    async dispose() {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
    },
  };
}
