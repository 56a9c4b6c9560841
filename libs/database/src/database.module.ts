import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { DATABASE_TARGET, DatabaseTarget } from './database-target';
import { DATABASE_ENTITIES, DATABASE_MIGRATIONS, DatabaseService } from './database.service';

export interface DatabaseModuleOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

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
      providers: [
        { provide: DATABASE_TARGET, useFactory: targetFromConfig, inject: [AppConfigService] },
        { provide: DATABASE_ENTITIES, useValue: options.entities },
        { provide: DATABASE_MIGRATIONS, useValue: options.migrations },
        DatabaseService,
      ],
      exports: [DatabaseService],
    };
  }
}
