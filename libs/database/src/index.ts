export { DatabaseModule } from './database.module';
export { DatabaseService } from './database.service';
export { SlowQueryPlans } from './slow-query-plans';
export type { CapturedPlan } from './slow-query-plans';
export { DATABASE_TARGET, DatabaseUnavailableError } from './database-target';
export type { DatabaseStatus, DatabaseTarget, Engine } from './database-target';
export { arrayLiteral, isUniqueViolation } from './sql-values';
export { decideTimescale, probeTimescale } from './timescale-support';
export { EmbeddedPostgresEngine } from './engines/embedded-postgres.engine';
