import { Module } from '@nestjs/common';
import { CandleRepository } from './candles/candle.repository';
import { CANDLE_SOURCE } from './candles/candle-source';
import { CandleSourceSelector } from './candles/candle-source-selector';
import { CandlesController } from './candles/candles.controller';
import { CandlesService } from './candles/candles.service';
import { CLOCK, systemClock } from './candles/clock';
import { NativeCandleSource } from './candles/native-candle.source';
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
    NativeCandleSource,
    { provide: CANDLE_SOURCE, useExisting: NativeCandleSource },
    { provide: CLOCK, useValue: systemClock },
    CandleSourceSelector,
    CandlesService,
    TrackedSymbolsService,
  ],
  exports: [DerivedCandlesModule, CandleRepository, TrackedSymbolRepository, TrackedSymbolsService, CandlesService, CANDLE_SOURCE, CLOCK],
})
export class MarketDataModule {}
