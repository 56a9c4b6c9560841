import { DynamicModule, INestApplication } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { Env } from '@app/config';
import { DATABASE_TARGET, DatabaseService, Engine } from '@app/database';
import { TestDatabase, openTestDatabase } from './test-database';

/** The application a test boots: its root module for some settings, and what main.ts does to it before listening. */
export interface AppUnderTest {
  module(env: Env): DynamicModule;
  setup(app: INestApplication): INestApplication;
}

export interface TestApp {
  app: INestApplication;
  /** Pass to supertest: `request(t.server)`. */
  server: ReturnType<INestApplication['getHttpServer']>;
  database: DatabaseService;
  testDatabase: TestDatabase;
  close(): Promise<void>;
}

/**
 * The whole API, as main.ts builds it, on a fresh database of `engine` (or on
 * `testDatabase` when given, e.g. to start a second instance on the same one).
 */
export async function createTestApp(
  appUnderTest: AppUnderTest,
  engine: Engine,
  options: {
    env?: Env;
    testDatabase?: TestDatabase;
    customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
    /** false: return as soon as HTTP is up, before the database is (fault tests). */
    awaitDatabase?: boolean;
  } = {},
): Promise<TestApp> {
  const testDatabase = options.testDatabase ?? (await openTestDatabase(engine));
  let builder = Test.createTestingModule({
    // Enrichment jobs would race whatever a test writes: its own tests turn it on.
    imports: [appUnderTest.module({ LOG_LEVEL: 'silent', ENRICHMENT_ENABLED: 'false', ...options.env })],
  })
    .overrideProvider(DATABASE_TARGET)
    .useValue(testDatabase.target);
  if (options.customize) builder = options.customize(builder);
  const module = await builder.compile();
  const app = appUnderTest.setup(module.createNestApplication({ bufferLogs: true }));
  await app.init();
  const database = app.get(DatabaseService);
  if (options.awaitDatabase !== false) await database.whenReady();
  return {
    app,
    server: app.getHttpServer(),
    database,
    testDatabase,
    async close() {
      await app.close();
      if (!options.testDatabase) await testDatabase.dispose();
    },
  };
}
