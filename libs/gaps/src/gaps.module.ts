import { Module } from '@nestjs/common';
import { MarketDataModule } from '@app/market-data';
import { BackfillCheckpointModule } from '@app/backfill';
import { GapReportController } from './gap-report.controller';
import { GapReportService } from './gap-report.service';

/** The gap report: stored bars against the market calendar, and against what the backfill has fetched. */
@Module({
  imports: [MarketDataModule, BackfillCheckpointModule],
  controllers: [GapReportController],
  providers: [GapReportService],
  exports: [GapReportService],
})
export class GapsModule {}
