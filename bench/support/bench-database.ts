import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfigModule } from '@app/config';
import { DatabaseModule, DatabaseService, EmbeddedPostgresEngine } from '@app/database';
import { MARKET_DATA_ENTITIES, MarketDataModule } from '@app/market-data';
import { MIGRATIONS } from '../../migrations';

export interface BenchDatabase {
  url: string;
  context: INestApplicationContext;
  database: DatabaseService;
  close(): Promise<void>;
}

/**
 * A fresh embedded PostgreSQL (normal durability settings, as `npm start` runs it) with
 * the real migrations applied and the market-data module booted on it.
 */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'market-data-bench-'));
  const engine = new EmbeddedPostgresEngine({ dataDir });
  const url = await EmbeddedPostgresEngine.ensureDatabase(await engine.start(), 'bench');

  @Module({
    imports: [
      AppConfigModule.forRoot({ DATABASE_URL: url, LOG_LEVEL: 'silent' }),
      DatabaseModule.forRoot({ entities: MARKET_DATA_ENTITIES, migrations: MIGRATIONS }),
      MarketDataModule,
    ],
  })
  class BenchModule {}

  const context = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const database = context.get(DatabaseService);
  await database.whenReady();
  return {
    url,
    context,
    database,
    async close() {
      await context.close();
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
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
