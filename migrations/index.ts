import { CreateMarketData1764000000000 } from './1764000000000-create-market-data';
import { CreateTrackedSymbols1764000000001 } from './1764000000001-create-tracked-symbols';
import { CreateDerivedCandleAggregates1764000000100 } from './1764000000100-create-derived-candle-aggregates';
import { CreateBackfillCheckpoints1764000000200 } from './1764000000200-create-backfill-checkpoints';

/** Every migration, oldest first; the DataSource runs them at boot under an advisory lock. */
export const MIGRATIONS = [
  CreateMarketData1764000000000,
  CreateTrackedSymbols1764000000001,
  CreateDerivedCandleAggregates1764000000100,
  CreateBackfillCheckpoints1764000000200,
];
