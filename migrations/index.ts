import { BackfillCheckpointEntity } from '@app/backfill';
import { CandleChangeEntity, MarketDataEntity, TrackedSymbolEntity } from '@app/market-data';
import { EnrichmentSeriesEntity, IndicatorBlockEntity } from '@app/enrichment';
import { AlertEventEntity, AlertStateEntity, LatencySlotEntity, MonitorInstanceEntity, StorageSampleEntity } from '@app/monitoring';
import { CreateMarketData1764000000000 } from './1764000000000-create-market-data';
import { CreateTrackedSymbols1764000000001 } from './1764000000001-create-tracked-symbols';
import { CreateDerivedCandleAggregates1764000000100 } from './1764000000100-create-derived-candle-aggregates';
import { CreateBackfillCheckpoints1764000000200 } from './1764000000200-create-backfill-checkpoints';
import { AddBackfillForced1764000000300 } from './1764000000300-add-backfill-forced';
import { CreateMonitorTables1764000000400 } from './1764000000400-create-monitor-tables';
import { CreateEnrichmentTables1764000000500 } from './1764000000500-create-enrichment-tables';

/** Every migration, oldest first; the DataSource runs them at boot under an advisory lock. */
export const MIGRATIONS = [
  CreateMarketData1764000000000,
  CreateTrackedSymbols1764000000001,
  CreateDerivedCandleAggregates1764000000100,
  CreateBackfillCheckpoints1764000000200,
  AddBackfillForced1764000000300,
  CreateMonitorTables1764000000400,
  CreateEnrichmentTables1764000000500,
];

/**
 * One entity per table the migrations create, handed with MIGRATIONS to every
 * DatabaseModule.forRoot. entities.spec.ts checks each against the migrated schema.
 */
export const ENTITIES = [
  MarketDataEntity,
  TrackedSymbolEntity,
  BackfillCheckpointEntity,
  StorageSampleEntity,
  LatencySlotEntity,
  AlertStateEntity,
  AlertEventEntity,
  MonitorInstanceEntity,
  CandleChangeEntity,
  IndicatorBlockEntity,
  EnrichmentSeriesEntity,
];
