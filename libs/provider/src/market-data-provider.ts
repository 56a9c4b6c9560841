import type { Candle, Timeframe, TimeframeValue, TimeRange } from '@app/core';

/** Bars of one symbol and timeframe whose START lies in [from, to) (Unix ms). */
export interface BarRequest {
  symbol: string;
  timeframe: TimeframeValue;
  from: number;
  to: number;
}

/** One validated answer of the provider: safe to store as a whole. */
export interface BarPage {
  bars: Candle[];
  /** The provider's request id, for logs and support tickets. */
  requestId: string;
  /** HTTP requests this page took, retries included. */
  requests: number;
}

/**
 * The boundary between the service and a bar vendor. `fetchBars` yields page by page so a
 * year of minute bars never sits in memory at once; each page is validated as a whole.
 * Failures are `ProviderError`s, each carrying its disposition (what the caller does next).
 */
export interface MarketDataProvider {
  readonly name: string;
  /** False without credentials: the service still serves stored data. */
  readonly isConfigured: boolean;
  fetchBars(request: BarRequest): AsyncIterable<BarPage>;
  /**
   * The windows `fetchBars` would ask for, each within the provider's answer budget (one
   * request unless the provider pages): they start at bucket starts and tile, in order,
   * [first bucket start at or after `start`, `end`). Empty when no bucket starts in the
   * range (no bar can). Callers that checkpoint per window (backfill) plan with this, so
   * each of their windows is one request and they never learn the provider's limits.
   */
  planWindows(symbol: string, timeframe: Timeframe, start: number, end: number): TimeRange[];
}

/** Injection token of the active provider; the application wires the implementation (PolygonModule). */
export const MARKET_DATA_PROVIDER = Symbol('MARKET_DATA_PROVIDER');
