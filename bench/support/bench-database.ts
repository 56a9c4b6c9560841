import { INestApplicationContext, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfigModule } from '@app/config';
import { DATABASE_TARGET, DatabaseModule, DatabaseService, DatabaseTarget, EmbeddedPostgresEngine, Engine } from '@app/database';
import { PGliteDriver } from '@app/testing';
import { MarketDataModule } from '@app/market-data';
import { ENTITIES, MIGRATIONS } from '../../migrations';

export interface BenchDatabase {
  engine: Engine;
  /** The PostgreSQL URL; empty for the in-process TimescaleDB. */
  url: string;
  context: INestApplicationContext;
  database: DatabaseService;
  close(): Promise<void>;
}

/**
 * A fresh database with the real migrations applied and the market-data module booted:
 * an embedded PostgreSQL (normal durability settings, as `npm start` runs it), or the
 * in-process TimescaleDB (PGlite/WASM: compare ratios, not absolute times). `imports`
 * replaces the modules booted on it (e.g. the whole app, for the monitor's benchmarks).
 */
export async function startBenchDatabase(
  engine: Engine = 'postgresql',
  imports: ModuleMetadata['imports'] = [
    AppConfigModule.forRoot({ LOG_LEVEL: 'silent' }),
    DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
    MarketDataModule,
  ],
): Promise<BenchDatabase> {
  let target: DatabaseTarget;
  let url = '';
  let stopEngine: () => Promise<void>;
  if (engine === 'timescaledb') {
    const driver = await PGliteDriver.create();
    target = { kind: 'driver', driver: driver.pgModule, label: 'pglite-timescaledb' };
    stopEngine = () => driver.close();
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'market-data-bench-'));
    const server = new EmbeddedPostgresEngine({ dataDir });
    url = await EmbeddedPostgresEngine.ensureDatabase(await server.start(), 'bench');
    target = { kind: 'url', url };
    stopEngine = async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const module = await Test.createTestingModule({
    imports,
  })
    .overrideProvider(DATABASE_TARGET)
    .useValue(target)
    .compile();
  await module.init();
  const database = module.get(DatabaseService);
  await database.whenReady();
  return {
    engine,
    url,
    context: module,
    database,
    async close() {
      await module.close();
      await stopEngine();
    },
  };
}

/** p-th percentile (0..100) of a list of durations, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
