import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CacheModule } from '@app/cache';
import { EnrichmentModule } from '@app/enrichment';
import { IngestionModule } from '@app/ingestion';
import { MarketDataModule } from '@app/market-data';
import { AggregateSources } from './aggregates/aggregate-sources';
import { AggregatesController } from './aggregates/aggregates.controller';
import { AggregatesService } from './aggregates/aggregates.service';
import { PreviousCloseService } from './aggregates/previous-close.service';
import { PolygonKeyGuard } from './http/polygon-key.guard';
import { IndicatorsController } from './indicators/indicators.controller';
import { PolygonIndicatorsService } from './indicators/polygon-indicators.service';
import { ReadThrough } from './read-through/read-through.service';

/**
 * Polygon.io (Massive.com) compatible routes (/v2/aggs, /v1/indicators) answered from our store,
 * so existing provider clients switch by changing their base URL. Needs MARKET_DATA_PROVIDER
 * (PolygonModule, global) for read-through.
 */
@Module({
  imports: [AuthModule, MarketDataModule, EnrichmentModule, IngestionModule, CacheModule],
  controllers: [AggregatesController, IndicatorsController],
  providers: [PolygonKeyGuard, ReadThrough, AggregateSources, AggregatesService, PreviousCloseService, PolygonIndicatorsService],
})
export class PolygonCompatModule {}
