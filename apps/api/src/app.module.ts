import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@app/auth';
import { AppConfigModule, AppConfigService, Env } from '@app/config';
import { DatabaseModule } from '@app/database';
import { BackfillModule } from '@app/backfill';
import { GapsModule } from '@app/gaps';
import { IngestionModule } from '@app/ingestion';
import { MARKET_DATA_ENTITIES, MarketDataModule } from '@app/market-data';
import { MonitoringModule } from '@app/monitoring';
import { MIGRATIONS } from '../../../migrations';
import { loggerParams } from './logging';

export interface AppModuleOptions {
  /** Settings to use instead of the process environment (tests). */
  env?: Env;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(options.env),
        LoggerModule.forRootAsync({ inject: [AppConfigService], useFactory: loggerParams }),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot({ entities: MARKET_DATA_ENTITIES, migrations: MIGRATIONS }),
        AuthModule,
        MarketDataModule,
        IngestionModule,
        BackfillModule.forRoot(),
        GapsModule,
        MonitoringModule,
      ],
    };
  }
}
