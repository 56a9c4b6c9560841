import { Module } from '@nestjs/common';
import { MarketDataModule } from '@app/market-data';
import { IndicatorCatalogueController } from './rest/indicator-catalogue.controller';
import { IndicatorHistory } from './rest/indicator-history';
import { IndicatorPages } from './rest/indicator-pages.service';
import { IndicatorValuesController } from './rest/indicator-values.controller';

/**
 * Technical indicators over the stored bars. For now the REST slice: the catalogue, and values
 * computed on the fly per request (nothing is stored or scheduled yet).
 */
@Module({
  imports: [MarketDataModule],
  controllers: [IndicatorCatalogueController, IndicatorValuesController],
  providers: [IndicatorHistory, IndicatorPages],
  exports: [IndicatorPages],
})
export class EnrichmentModule {}
