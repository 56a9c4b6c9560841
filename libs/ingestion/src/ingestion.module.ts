import { Module } from '@nestjs/common';
import { MarketDataModule } from '@app/market-data';
import { PolygonModule } from '@app/polygon';
import { IngestionStatus } from './ingestion-status';
import { IngestionService } from './ingestion.service';

/** Provider -> validated pages -> bulk upsert. The scheduler (backfill, refresh) builds on IngestionService. */
@Module({
  imports: [PolygonModule, MarketDataModule],
  providers: [IngestionStatus, IngestionService],
  exports: [IngestionStatus, IngestionService, PolygonModule],
})
export class IngestionModule {}
