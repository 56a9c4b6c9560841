import type { WireAggregate } from './aggregate-bar';
import { BASE_URL_SLOT, REQUEST_ID_SLOT } from './answer-template';

export interface AggregatesBody {
  ticker: string;
  queryCount: number;
  adjusted: boolean;
  /** The bars (/prev's also carry the ticker, as `T`). */
  results: readonly WireAggregate[];
  /** Path and query of the next page, when there is one. */
  nextPath?: string;
}

/**
 * The provider's aggregates answer, keys in its order: `results` left out when empty, `next_url`
 * when more pages follow; request_id and the next_url base as slots (answer-template.ts).
 * JSON.stringify prints numbers exactly as stored (shortest round-trip form) and drops unknown vw and n.
 */
export function aggregatesBodyTemplate(body: AggregatesBody): Buffer {
  return Buffer.from(
    JSON.stringify({
      ticker: body.ticker,
      queryCount: body.queryCount,
      resultsCount: body.results.length,
      adjusted: body.adjusted,
      results: body.results.length ? body.results : undefined,
      status: 'OK',
      request_id: REQUEST_ID_SLOT,
      count: body.results.length,
      next_url: body.nextPath === undefined ? undefined : `${BASE_URL_SLOT}${body.nextPath}`,
    }),
  );
}
