export { DerivedCandleService } from './derived-candle.service';
export { DERIVABLE_TIMEFRAMES, NotDerivableTimeframeError, isDerivableTimeframe } from './derived-candle';
export type { CandleCoverage, DerivableTimeframe, DerivationMethod, DeriveQuery, DerivedCandle } from './derived-candle';
