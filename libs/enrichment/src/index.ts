export { computeIndicator, type ComputedIndicator } from './compute-indicator';
export type {
  IndicatorContext,
  IndicatorMemory,
  IndicatorValues,
  OutputDefinition,
  ParameterDefinition,
} from './definition/indicator-definition';
export { IncompatibleIndicatorStateError } from './definition/saved-data';
export type { IndicatorBar } from './indicator-bar';
export { describeIndicators, firstValueIndex, lookback, memoryOf, type IndicatorDescription } from './indicator-catalogue';
export { INDICATOR_NAMES, type IndicatorName } from './indicator-name';
export type { JsonValue } from './json-value';
export { INDICATOR_STATE_VERSION, RunningIndicator, type IndicatorState } from './running-indicator';
export { newYorkDaySession, sessionKeyFor, utcDaySession, type SessionKey } from './session';
export type { IndicatorSpec } from './spec/indicator-spec';
export { MAX_INDICATORS_PER_REQUEST, parseIndicatorList, parseIndicatorSpec } from './spec/parse-indicator-spec';
export { EnrichmentModule } from './enrichment.module';
export { IndicatorPages, type IndicatorPage } from './rest/indicator-pages.service';
export type { IndicatorColumn } from './rest/indicator-columns';
export { seriesWarmUpBars } from './rest/warm-up';
export { IndicatorBlockEntity } from './storage/indicator-block.entity';
export { EnrichmentSeriesEntity } from './storage/enrichment-series.entity';
export { EnrichmentScheduler } from './jobs/enrichment.scheduler';
