import { MarketDataEntity } from './candles/market-data.entity';
import { TrackedSymbolEntity } from './symbols/tracked-symbol.entity';

/** Entities the DataSource maps; handed to DatabaseModule.forRoot by the app. */
export const MARKET_DATA_ENTITIES = [MarketDataEntity, TrackedSymbolEntity];
