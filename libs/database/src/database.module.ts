import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { DataSourceOptions } from 'typeorm';
import { AppConfigService } from '@app/config';
import { DATABASE_TARGET, DatabaseTarget } from './database-target';
import { MetricsModule } from '@app/metrics';
import { DatabaseMetrics } from './database.metrics';
import { DatabaseUpGauge } from './database-up.gauge';
import { DATABASE_ENTITIES, DATABASE_MIGRATIONS, DatabaseService } from './database.service';
import { SlowQueryPlans } from './slow-query-plans';
import { ReadReplicas } from './read-replicas';
import { ReadOnlyWriteGuard } from './read-only-write.guard';
import { ReadYourWritesInterceptor } from './read-your-writes.interceptor';

/** What the DataSource maps and runs: ENTITIES and MIGRATIONS from migrations/index.ts. */
export type DatabaseModuleOptions = Required<Pick<DataSourceOptions, 'entities' | 'migrations'>>;

/** DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR. */
export function targetFromConfig(config: AppConfigService): DatabaseTarget {
  const url = config.get('DATABASE_URL');
  return url ? { kind: 'url', url } : { kind: 'embedded', dataDir: config.get('DATA_DIR') };
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [MetricsModule],
      providers: [
        DatabaseMetrics,
        { provide: DATABASE_TARGET, useFactory: targetFromConfig, inject: [AppConfigService] },
        { provide: DATABASE_ENTITIES, useValue: options.entities },
        { provide: DATABASE_MIGRATIONS, useValue: options.migrations },
        SlowQueryPlans,
        ReadReplicas,
        DatabaseService,
        DatabaseUpGauge,
        // Every write route answers 503 while the only database is read-only (a hot standby).
        { provide: APP_GUARD, useClass: ReadOnlyWriteGuard },
        // A client's next reads through this instance see its write, even from a replica.
        { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
      ],
      exports: [DatabaseService, SlowQueryPlans],
    };
  }
}
