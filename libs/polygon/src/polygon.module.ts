import { Global, Module } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { MetricsModule } from '@app/metrics';
import { MARKET_DATA_PROVIDER } from '@app/provider';
import { POLYGON_CLIENT_OPTIONS, POLYGON_TUNING, polygonOptionsFromConfig } from './polygon-client.options';
import { PolygonClient } from './polygon.client';
import { PolygonMetrics } from './polygon.metrics';

/**
 * The Polygon aggregates client behind MARKET_DATA_PROVIDER, configured from POLYGON_*
 * and REDIS_URL settings. Without POLYGON_API_KEY it still loads; the client then reports
 * `isConfigured === false` and sends nothing. Global: the application imports it once and
 * ingestion and backfill, which know only the port, get it through MARKET_DATA_PROVIDER.
 */
@Global()
@Module({
  imports: [MetricsModule],
  providers: [
    { provide: POLYGON_TUNING, useValue: {} },
    { provide: POLYGON_CLIENT_OPTIONS, useFactory: polygonOptionsFromConfig, inject: [AppConfigService, POLYGON_TUNING] },
    PolygonMetrics,
    PolygonClient,
    { provide: MARKET_DATA_PROVIDER, useExisting: PolygonClient },
  ],
  exports: [MARKET_DATA_PROVIDER, PolygonClient],
})
export class PolygonModule {}
