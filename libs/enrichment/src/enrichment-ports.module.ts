import { Global, Module } from '@nestjs/common';
import { CANDLE_INDICATORS, INDICATOR_LISTS, MarketDataModule } from '@app/market-data';
import { CandleIndicatorsAdapter } from './rest/candle-indicators.adapter';
import { IndicatorHistory } from './rest/indicator-history';
import { IndicatorPages } from './rest/indicator-pages.service';
import { StoredIndicators } from './rest/stored-indicators';
import { IndicatorListPolicy } from './settings/indicator-list-policy';
import { EnrichmentSeriesRepository } from './storage/enrichment-series.repository';
import { IndicatorBlockRepository } from './storage/indicator-block.repository';

/**
 * What market data (a library below enrichment) asks of it, by token: the indicator-list policy
 * of tracked symbols (INDICATOR_LISTS) and indicator values over a page of candles
 * (CANDLE_INDICATORS). Global, so market data takes them without importing enrichment.
 */
@Global()
@Module({
  imports: [MarketDataModule],
  providers: [
    IndicatorListPolicy,
    { provide: INDICATOR_LISTS, useExisting: IndicatorListPolicy },
    IndicatorBlockRepository,
    EnrichmentSeriesRepository,
    IndicatorHistory,
    StoredIndicators,
    IndicatorPages,
    CandleIndicatorsAdapter,
    { provide: CANDLE_INDICATORS, useExisting: CandleIndicatorsAdapter },
  ],
  exports: [INDICATOR_LISTS, CANDLE_INDICATORS, IndicatorPages, IndicatorBlockRepository, EnrichmentSeriesRepository],
})
export class EnrichmentPortsModule {}
