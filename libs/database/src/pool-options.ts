import type { AppConfigService } from '@app/config';

/**
 * What every pool of ours is opened with, the primary's and each read replica's: TypeORM never
 * changes the schema by itself, DATABASE_POOL_SIZE connections, and `applicationName` in pg_stat_activity.
 */
export function poolOptions(config: AppConfigService | undefined, applicationName: string) {
  return {
    type: 'postgres' as const,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: config?.get('DATABASE_POOL_SIZE') ?? 10,
    connectTimeoutMS: 5_000,
    applicationName,
  };
}
