export { DatabaseModule, targetFromConfig } from './database.module';
export type { DatabaseModuleOptions } from './database.module';
export { DatabaseService } from './database.service';
export { DATABASE_TARGET, DatabaseUnavailableError, redactUrls } from './database-target';
export type { DatabaseStatus, DatabaseTarget, Engine } from './database-target';
export { advisoryLockKey } from './advisory-lock';
export { decideTimescale, probeTimescale } from './timescale-support';
export { EmbeddedPostgresEngine } from './engines/embedded-postgres.engine';
