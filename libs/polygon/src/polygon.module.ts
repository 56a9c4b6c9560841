import { Module } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { MARKET_DATA_PROVIDER } from './market-data-provider';
import { POLYGON_CLIENT_OPTIONS, POLYGON_TUNING, polygonOptionsFromConfig } from './polygon-client.options';
import { PolygonClient } from './polygon.client';
import { PolygonMetrics } from './polygon.metrics';

/**
 * The Polygon aggregates client behind MARKET_DATA_PROVIDER, configured from POLYGON_*
 * and REDIS_URL settings. Without POLYGON_API_KEY it still loads; the client then reports
 * `isConfigured === false` and sends nothing.
 */
@Module({
  providers: [
    { provide: POLYGON_TUNING, useValue: {} },
    { provide: POLYGON_CLIENT_OPTIONS, useFactory: polygonOptionsFromConfig, inject: [AppConfigService, POLYGON_TUNING] },
    PolygonMetrics,
    PolygonClient,
    { provide: MARKET_DATA_PROVIDER, useExisting: PolygonClient },
  ],
  exports: [MARKET_DATA_PROVIDER, PolygonClient, PolygonMetrics, POLYGON_CLIENT_OPTIONS],
})
export class PolygonModule {}
