export { MARKET_DATA_PROVIDER } from './market-data-provider';
export type { BarPage, BarRequest, MarketDataProvider } from './market-data-provider';
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
export type { ProviderErrorDisposition } from './provider.errors';
