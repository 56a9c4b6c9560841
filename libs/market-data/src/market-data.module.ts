import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@app/core';
import { CacheModule } from '@app/cache';
import { MetricsModule } from '@app/metrics';
import { CandleAnswers } from './candles/candle-answers';
import { CandleChangeLog } from './changes/candle-change-log';
import { CandleReadMetrics } from './candles/candle-read.metrics';
import { CandleRepository } from './candles/candle.repository';
import { CandleSourceSelector } from './candles/candle-source-selector';
import { CandlesController } from './candles/candles.controller';
import { CandlesService } from './candles/candles.service';
import { DerivedCandleRepository } from './derived/derived-candle.repository';
import { DerivedCandleService } from './derived/derived-candle.service';
import { TrackedSymbolRepository } from './symbols/tracked-symbol.repository';
import { TrackedSymbolsController } from './symbols/tracked-symbols.controller';
import { TrackedSymbolsService } from './symbols/tracked-symbols.service';

/**
 * Candles (stored, and derived from 1m) and tracked symbols: persistence, the services on top,
 * and their REST routes, answered through the answer cache. Needs the (global) DatabaseModule.
 */
@Module({
  imports: [CacheModule, MetricsModule],
  controllers: [CandlesController, TrackedSymbolsController],
  providers: [
    CandleRepository,
    CandleChangeLog,
    DerivedCandleRepository,
    TrackedSymbolRepository,
    { provide: CLOCK, useValue: systemClock },
    DerivedCandleService,
    CandleReadMetrics,
    CandleSourceSelector,
    CandlesService,
    CandleAnswers,
    TrackedSymbolsService,
  ],
  exports: [
    CandleRepository,
    CandleChangeLog,
    DerivedCandleService,
    TrackedSymbolRepository,
    TrackedSymbolsService,
    CandlesService,
    CandleSourceSelector,
    CandleAnswers,
    CLOCK,
  ],
})
export class MarketDataModule {}
