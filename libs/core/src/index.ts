export { assetClassOf, type AssetClass } from './asset-class';
export type { Candle, CandleRangeQuery, CandleValues } from './candle';
export { CLOCK, systemClock, type Clock } from './clock';
export {
  ConflictError,
  DomainError,
  InvalidFieldError,
  NotFoundError,
  ReadOnlyDatabaseError,
  UnavailableError,
  messageOf,
  redactCredentials,
} from './errors';
export type { DomainErrorKind } from './errors';
export { newYorkDayStart, newYorkOffsetMs, newYorkWallToUtc, newYorkWeekStart } from './new-york-time';
export { SORT_ORDERS, type SortOrder } from './sort-order';
export { DAY_MS, HOUR_MS, MINUTE_MS, iso, sleep } from './time';
export { intersect, normalize, requireStartBeforeEnd, subtract, totalLength, union, type TimeRange } from './time-range';
export { InvalidTimeframeError, TIMEFRAME_VALUES, Timeframe } from './timeframe';
export type { TimeframeValue } from './timeframe';
export { formatDuration, formatTimeframeDurations, parseDuration, parseTimeframeDurations } from './timeframe-duration-map';
export type { TimeframeDurations } from './timeframe-duration-map';
