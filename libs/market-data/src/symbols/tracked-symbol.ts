import type { AssetClass, TimeframeValue } from '@app/core';

/** A symbol the service keeps fresh, in its own timeframes (the scheduler reads these). */
export interface TrackedSymbol {
  symbol: string;
  timeframes: TimeframeValue[];
  /** Canonical indicator keys; null follows ENRICHMENT_DEFAULT_INDICATORS. */
  indicators: string[] | null;
  assetClass: AssetClass;
  active: boolean;
  /** Unix ms. */
  createdAt: number;
  updatedAt: number;
}
