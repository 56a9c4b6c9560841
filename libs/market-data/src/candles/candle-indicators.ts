import type { CandlePage, ResolvedCandlesRequest } from './candles.service';

/** One indicator's value at one bar: a number, an object of outputs (macd, bbands, stoch), null before its warm-up. */
export type IndicatorValue = number | null | Record<string, number | null>;

/** Indicator values over the bars of a page (page order), as enrichment computes or stores them. */
export interface PageIndicators {
  /** Canonical keys, in request order. */
  readonly keys: readonly string[];
  /** Per key: read from enrichment's stored values, or computed for the request. */
  readonly origins: Readonly<Record<string, 'stored' | 'computed'>>;
  valueAt(key: number, bar: number): IndicatorValue;
  /** CSV header cells (`sma:20`, `macd:12:26:9.signal`) and the cells of one bar (empty for no value). */
  readonly csvHeader: readonly string[];
  csvCells(bar: number): string[];
}

/**
 * What the candle answers ask of enrichment (a library above this one) for `indicators=`:
 * provided by the enrichment module under CANDLE_INDICATORS, so the dependency points down.
 */
export interface CandleIndicators {
  /** The canonical list for a cache key; throws InvalidFieldError naming `indicators`. */
  canonical(indicators: string): string;
  over(resolved: ResolvedCandlesRequest, page: CandlePage, indicators: string): Promise<PageIndicators>;
}

export const CANDLE_INDICATORS = Symbol('CANDLE_INDICATORS');

/** stored, computed, or mixed when a page has some of each. */
export function indicatorSourceOf(indicators: PageIndicators): 'stored' | 'computed' | 'mixed' {
  const origins = new Set(Object.values(indicators.origins));
  return origins.size > 1 ? 'mixed' : origins.has('stored') ? 'stored' : 'computed';
}
