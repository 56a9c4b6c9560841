import { Module } from '@nestjs/common';
import { DerivedCandleRepository } from './derived-candle.repository';
import { DerivedCandleService } from './derived-candle.service';

/** Higher timeframes derived from stored 1m bars; needs the (global) DatabaseModule. */
@Module({
  providers: [DerivedCandleRepository, DerivedCandleService],
  exports: [DerivedCandleService],
})
export class DerivedCandlesModule {}
