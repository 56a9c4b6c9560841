import { Module } from '@nestjs/common';
import { MarketDataModule } from '@app/market-data';
import { IngestionStatus } from './ingestion-status';
import { IngestionService } from './ingestion.service';

/**
 * Provider -> validated pages -> bulk upsert. The scheduler (backfill, refresh) builds on
 * IngestionService. Needs MARKET_DATA_PROVIDER from the application (PolygonModule is global).
 */
@Module({
  imports: [MarketDataModule],
  providers: [IngestionStatus, IngestionService],
  exports: [IngestionStatus, IngestionService],
})
export class IngestionModule {}
