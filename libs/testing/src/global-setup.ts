// Jest's moduleNameMapper does not apply to globalSetup: resolve the @app/* aliases here.
import 'tsconfig-paths/register';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { EmbeddedPostgresEngine } from '@app/database';

export const SERVER_ENV = 'MARKET_DATA_TEST_SERVER_URL';

declare global {
  var __embeddedTestPostgres: EmbeddedPostgresEngine | undefined;
}

/**
 * One PostgreSQL server for the whole run: DATABASE_URL when given (CI points it at the
 * machine's server), else an embedded one in a temp dir. Each test file then creates
 * its own database on it. Workers inherit the URL through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const configured = loadConfig(process.env).DATABASE_URL;
  if (configured) {
    process.env[SERVER_ENV] = configured;
    return;
  }
  const engine = new EmbeddedPostgresEngine({
    dataDir: mkdtempSync(join(tmpdir(), 'market-data-api-test-pg-')),
    unsafeFastWrites: true,
  });
  process.env[SERVER_ENV] = await engine.start();
  globalThis.__embeddedTestPostgres = engine;
}
