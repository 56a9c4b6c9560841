import type { Candle, TimeframeValue } from '@app/core';

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

export interface LatencyStats {
  count: number;
  averageMs: number;
  maxMs: number;
  lastMs: number;
}

/** A cheap snapshot of the provider's counters since start, for the monitor and /health. */
export interface ProviderStats {
  /** HTTP requests sent (every attempt counts). */
  requests: number;
  /** Requests answered 429. */
  rateLimited: number;
  /** Attempts repeated after a 429, 5xx, timeout, reset or unreadable body. */
  retries: number;
  /** Requests that failed for good (after retries, or not retryable). */
  failures: number;
  /** Validated pages handed to the caller. */
  pages: number;
  /** Pages rejected whole by validation. */
  rejectedPages: number;
  /** Answers that looked cut short and were re-asked. */
  cutResponses: number;
  barsFetched: number;
  latency: LatencyStats;
  /** Current spacing between requests; grows after 429s, shrinks back on success. */
  limiterSpacingMs: number;
  lastError?: { at: string; kind: string; message: string };
}

/**
 * The boundary between the service and a bar vendor. `fetchBars` yields page by page so a
 * year of minute bars never sits in memory at once; each page is validated as a whole.
 */
export interface MarketDataProvider {
  readonly name: string;
  /** False without credentials: the service still serves stored data. */
  readonly isConfigured: boolean;
  fetchBars(request: BarRequest): AsyncIterable<BarPage>;
  stats(): ProviderStats;
}

/** Injection token of the active provider (PolygonClient today). */
export const MARKET_DATA_PROVIDER = Symbol('MARKET_DATA_PROVIDER');
