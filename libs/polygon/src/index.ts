export { PolygonModule } from './polygon.module';
export { PolygonClient } from './polygon.client';
export { PolygonMetrics } from './polygon.metrics';
export type { RequestOutcome, RetryReason } from './polygon.metrics';
export { MARKET_DATA_PROVIDER } from './market-data-provider';
export type { BarPage, BarRequest, LatencyStats, MarketDataProvider, ProviderStats } from './market-data-provider';
export { DEFAULT_POLYGON_TUNING, POLYGON_CLIENT_OPTIONS, POLYGON_TUNING, polygonOptionsFromConfig } from './polygon-client.options';
export type { PolygonClientOptions, PolygonTuning } from './polygon-client.options';
export {
  ProviderBadPayloadError,
  ProviderError,
  ProviderNotAuthorizedError,
  ProviderNotConfiguredError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnavailableError,
} from './provider.errors';
export { planRequestWindows } from './request-window.planner';
export type { RequestWindow } from './request-window.planner';
