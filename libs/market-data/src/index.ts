export { MarketDataModule } from './market-data.module';
export { MarketDataEntity } from './candles/market-data.entity';
export { TrackedSymbolEntity } from './symbols/tracked-symbol.entity';
export { CandleChangeEntity } from './changes/candle-change.entity';
export { CandleChangeLog, type CandleChange, type SeriesChange } from './changes/candle-change-log';
export { CandleRepository } from './candles/candle.repository';
export { describeLookbacks } from './candles/candle-window';
export { DerivedCandleService } from './derived';
export { CandlesService, type CandlePage, type CandlesRequest, type ResolvedCandlesRequest } from './candles/candles.service';
export { CandleSourceSelector } from './candles/candle-source-selector';
export {
  CANDLE_FORMATS,
  CandleWindowQueryDto,
  CandlesQueryDto,
  INDICATORS_QUERY_DOC,
  type CandleFormat,
} from './candles/candles-query.dto';
export { SERVED_SOURCES, type ServedCandle, type ServedSource } from './candles/served-candle';
export { isoTime } from './candles/iso-time';
export { candlesRequestOf, headerOf, sendPagedAnswer } from './candles/paged-http';
export type { PagedHttpRequest, PagedHttpResponse } from './candles/paged-http';
export { CandleAnswers, type CandlesAnswerRequest } from './candles/candle-answers';
export { TrackedSymbolRepository } from './symbols/tracked-symbol.repository';
export { TrackedSymbolsService } from './symbols/tracked-symbols.service';
export { NotTrackedError } from './symbols/tracked-symbol.errors';
export { INDICATOR_LISTS, MAX_TRACKED_INDICATORS, type IndicatorLists } from './symbols/indicator-lists';
export type { TrackedSymbol } from './symbols/tracked-symbol';
export type { TrackedSymbolChange } from './symbols/tracked-symbols.service';
export { CANDLE_INDICATORS, type CandleIndicators, type IndicatorValue, type PageIndicators } from './candles/candle-indicators';
