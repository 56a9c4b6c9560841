import type { Candle, CandleRangeQuery } from './candle';

/**
 * Where a page of bars comes from: the stored bars of the requested timeframe ("native").
 * Derived bars (rolled up from 1m) come from DerivedCandleService; CandleSourceSelector
 * chooses between the two per request.
 */
export interface CandleSource {
  readonly name: string;
  /** Bars in [start, end), ordered by `order`, at most `limit`. */
  read(query: CandleRangeQuery): Promise<Candle[]>;
}

export const CANDLE_SOURCE = Symbol('CANDLE_SOURCE');

/** What a page was served from. */
export const SERVED_SOURCES = ['native', 'derived'] as const;
export type ServedSource = (typeof SERVED_SOURCES)[number];

/** What a client may ask for: `auto` picks native where stored bars cover the range. */
export const SOURCE_CHOICES = ['auto', ...SERVED_SOURCES] as const;
export type SourceChoice = (typeof SOURCE_CHOICES)[number];

export const SESSION_CHOICES = ['extended', 'regular'] as const;

/** A bar as served, with its completeness already judged by the source's rule. */
export interface ServedCandle extends Candle {
  isComplete: boolean;
}
