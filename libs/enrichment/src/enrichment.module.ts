import { Module } from '@nestjs/common';
import { CacheModule } from '@app/cache';
import { MarketDataModule } from '@app/market-data';
import { MetricsModule } from '@app/metrics';
import { EnrichmentJob } from './jobs/enrichment-job';
import { EnrichmentStatus } from './jobs/enrichment-status';
import { EnrichmentMetrics } from './jobs/enrichment.metrics';
import { EnrichmentScheduler } from './jobs/enrichment.scheduler';
import { EnrichmentJobsController } from './rest/enrichment-jobs.controller';
import { IndicatorCatalogueController } from './rest/indicator-catalogue.controller';
import { IndicatorValuesController } from './rest/indicator-values.controller';
import { EnrichmentPortsModule } from './enrichment-ports.module';

/**
 * Technical indicators over the stored bars: the catalogue, values per request (stored when
 * enrichment keeps them, computed on the fly otherwise), and the jobs that keep every tracked
 * symbol's indicators in line with its bars in every tracked timeframe.
 */
@Module({
  imports: [MarketDataModule, CacheModule, MetricsModule, EnrichmentPortsModule],
  controllers: [IndicatorCatalogueController, IndicatorValuesController, EnrichmentJobsController],
  providers: [EnrichmentMetrics, EnrichmentJob, EnrichmentScheduler, EnrichmentStatus],
  exports: [EnrichmentScheduler],
})
export class EnrichmentModule {}
