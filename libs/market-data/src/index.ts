export { MarketDataModule } from './market-data.module';
export { MARKET_DATA_ENTITIES } from './entities';
export type { Candle, CandleRangeQuery } from './candles/candle';
export { CandleRepository, UPSERT_BATCH_SIZE } from './candles/candle.repository';
export { MarketDataEntity } from './candles/market-data.entity';
export { TrackedSymbolEntity } from './symbols/tracked-symbol.entity';
