export { ALL_ENGINES, ENGINES, openTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { bootDatabase } from './database-app';
export type { DatabaseTestContext } from './database-app';
export { PGliteDriver } from './pglite-driver';
export { createTestApp } from './test-app';
export type { TestApp } from './test-app';
export { freePort, relayTo } from './tcp-relay';
export type { TcpRelay } from './tcp-relay';
