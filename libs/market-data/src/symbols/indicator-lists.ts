import { InvalidFieldError } from '@app/core';

/**
 * What tracked symbols ask of enrichment (a library above this one) about indicator lists:
 * provided by the enrichment module, injected here by token, so the dependency keeps pointing down.
 */
export interface IndicatorLists {
  /** Canonical keys of a list a client sent, duplicates dropped; throws InvalidFieldError naming `field`. */
  normalise(list: readonly string[], field: string): string[];
  /** ENRICHMENT_DEFAULT_INDICATORS, canonical: the list of a symbol tracked without its own. */
  readonly defaults: readonly string[];
}

/** A tracked symbol's own list holds at most this many (a request asks for at most 10 at once). */
export const MAX_TRACKED_INDICATORS = 20;

export const INDICATOR_LISTS = Symbol('INDICATOR_LISTS');

/** An application without enrichment (the command-line jobs) keeps no indicators and accepts none. */
export const NO_INDICATORS: IndicatorLists = {
  normalise(list, field) {
    if (list.length) throw new InvalidFieldError(field, 'indicators are not kept by this application (enrichment is not part of it)');
    return [];
  },
  defaults: [],
};
