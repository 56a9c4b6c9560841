import { Injectable } from '@nestjs/common';
import type { Candle, CandleRangeQuery } from './candle';
import { CandleRepository } from './candle.repository';
import type { CandleSource } from './candle-source';

/** The bars stored for exactly the requested timeframe. */
@Injectable()
export class NativeCandleSource implements CandleSource {
  readonly name = 'native';

  constructor(private readonly candles: CandleRepository) {}

  read(query: CandleRangeQuery): Promise<Candle[]> {
    return this.candles.findRange(query);
  }
}
