import type { Candle } from '@app/core';

/**
 * What a page was served from: the stored bars of the requested timeframe (native, from
 * CandleRepository) or bars rolled up from 1m (derived, from DerivedCandleService).
 * CandleSourceSelector chooses between the two per request.
 */
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
