import type { Engine } from '@app/database';
import { type AppUnderTest, type TestApp, createTestApp as createAppOn } from '@app/testing';
import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/setup-app';

const API: AppUnderTest = { module: (env) => AppModule.register({ env }), setup: setupApp };

/** The whole API, as main.ts builds it, on a fresh test database of `engine`. */
export function createTestApp(engine: Engine, options?: Parameters<typeof createAppOn>[2]): Promise<TestApp> {
  return createAppOn(API, engine, options);
}
