import { computeIndicator } from '../compute-indicator';
import type { IndicatorContext } from '../definition/indicator-definition';
import type { IndicatorBar } from '../indicator-bar';
import type { IndicatorSpec } from '../spec/indicator-spec';

/** One indicator's values over a page: per output name, one value per bar in the page's order, NaN for none. */
export interface IndicatorColumn {
  readonly spec: IndicatorSpec;
  readonly outputs: readonly string[];
  readonly values: Readonly<Record<string, Float64Array>>;
  /** Read from enrichment's stored values, or computed for this request. */
  readonly origin: 'stored' | 'computed';
}

/**
 * Each indicator fed from its own start in `history` (`historyStarts[i]`, where its warm-up
 * begins), then through the page, so its values never depend on which other indicators share
 * the request. `pageAscending` is the page oldest first; `newestFirst` turns the columns to the
 * page's own order.
 */
export function indicatorColumns(
  specs: readonly IndicatorSpec[],
  history: readonly IndicatorBar[],
  historyStarts: readonly number[],
  pageAscending: readonly IndicatorBar[],
  context: IndicatorContext,
  newestFirst: boolean,
): IndicatorColumn[] {
  return specs.map((spec, i) => {
    const fed = [...history.slice(historyStarts[i]), ...pageAscending];
    const { values } = computeIndicator(spec, fed, context);
    const outputs = Object.keys(values);
    const onPage = outputs.map((output) => {
      const page = values[output].subarray(fed.length - pageAscending.length);
      return [output, newestFirst ? page.slice().reverse() : page] as const;
    });
    return { spec, outputs, values: Object.fromEntries(onPage), origin: 'computed' as const };
  });
}
