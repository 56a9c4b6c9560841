import { Module } from '@nestjs/common';
import { CandleRepository } from './candles/candle.repository';

/** Candles and tracked symbols: persistence now, services and controllers on top. */
@Module({
  providers: [CandleRepository],
  exports: [CandleRepository],
})
export class MarketDataModule {}
