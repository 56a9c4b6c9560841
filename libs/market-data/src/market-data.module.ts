import { Module } from '@nestjs/common';
import { CandleRepository } from './candles/candle.repository';
import { CandleSourceSelector } from './candles/candle-source-selector';
import { CandlesController } from './candles/candles.controller';
import { CandlesService } from './candles/candles.service';
import { CLOCK, systemClock } from '@app/core';
import { DerivedCandlesModule } from './derived/derived-candles.module';
import { TrackedSymbolRepository } from './symbols/tracked-symbol.repository';
import { TrackedSymbolsController } from './symbols/tracked-symbols.controller';
import { TrackedSymbolsService } from './symbols/tracked-symbols.service';

/** Candles (stored and derived from 1m) and tracked symbols: persistence, the services on top, and their REST routes. */
@Module({
  imports: [DerivedCandlesModule],
  controllers: [CandlesController, TrackedSymbolsController],
  providers: [
    CandleRepository,
    TrackedSymbolRepository,
    { provide: CLOCK, useValue: systemClock },
    CandleSourceSelector,
    CandlesService,
    TrackedSymbolsService,
  ],
  exports: [DerivedCandlesModule, CandleRepository, TrackedSymbolRepository, TrackedSymbolsService, CandlesService, CLOCK],
})
export class MarketDataModule {}
