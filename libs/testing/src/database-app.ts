import { ModuleMetadata } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AppConfigModule, Env } from '@app/config';
import { DATABASE_TARGET, DatabaseModule, DatabaseService, Engine } from '@app/database';
import { MarketDataModule } from '@app/market-data';
import { ENTITIES, MIGRATIONS } from '../../../migrations';
import { TestDatabase, openTestDatabase } from './test-database';

export interface DatabaseTestContext {
  module: TestingModule;
  database: DatabaseService;
  testDatabase: TestDatabase;
  close(): Promise<void>;
}

/** Boots config + database + market-data modules on a fresh database of `engine`, migrated and ready. */
export async function bootDatabase(
  engine: Engine,
  options: { env?: Env; imports?: ModuleMetadata['imports']; providers?: ModuleMetadata['providers'] } = {},
): Promise<DatabaseTestContext> {
  const testDatabase = await openTestDatabase(engine);
  const module = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(options.env ?? {}),
      DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
      MarketDataModule,
      ...(options.imports ?? []),
    ],
    providers: options.providers ?? [],
  })
    .overrideProvider(DATABASE_TARGET)
    .useValue(testDatabase.target)
    .compile();
  await module.init();
  const database = module.get(DatabaseService);
  await database.whenReady();
  return {
    module,
    database,
    testDatabase,
    async close() {
      await module.close();
      await testDatabase.dispose();
    },
  };
}
