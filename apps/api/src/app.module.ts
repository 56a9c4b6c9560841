import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@app/auth';
import { AppConfigModule, AppConfigService, Env } from '@app/config';
import { DashboardModule } from '@app/dashboard';
import { DatabaseModule } from '@app/database';
import { EnrichmentModule } from '@app/enrichment';
import { BackfillModule } from '@app/backfill';
import { GapsModule } from '@app/gaps';
import { IngestionModule } from '@app/ingestion';
import { MarketDataModule } from '@app/market-data';
import { MonitoringModule } from '@app/monitoring';
import { PolygonModule } from '@app/polygon';
import { PolygonCompatModule } from '@app/polygon-compat';
import { ENTITIES, MIGRATIONS } from '../../../migrations';
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
        DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
        AuthModule,
        MarketDataModule,
        EnrichmentModule,
        // The provider behind MARKET_DATA_PROVIDER (global): ingestion and backfill know only the port.
        PolygonModule,
        IngestionModule,
        BackfillModule.forRoot(),
        GapsModule,
        MonitoringModule,
        PolygonCompatModule,
        DashboardModule,
      ],
    };
  }
}
