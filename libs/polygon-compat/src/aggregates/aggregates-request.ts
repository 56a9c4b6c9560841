import type { SortOrder } from '@app/core';
import { PolygonRequestError } from '../http/polygon-request.error';
import { decodeAggregateCursor, type AggregateCursor } from './aggregate-cursor';
import { AggregateSpan, MAX_MULTIPLIER, type ServedTimespan } from './aggregate-span';
import type { AggregatesParams } from './aggregates-params.dto';
import type { AggregatesQuery } from './aggregates-query.dto';
import { parsePolygonTime } from './polygon-time';

/** The provider's largest `limit`; more counts as this many, as there. */
const MAX_LIMIT = 50_000;
const DEFAULT_LIMIT = 5_000;

/** One aggregates request, parsed and checked. */
export interface AggregatesRequest {
  /** As the client wrote it: echoed in `ticker` and in next_url. */
  ticker: string;
  /** As stored (upper case). */
  symbol: string;
  span: AggregateSpan;
  /** The path's `from` and `to` as written, for next_url. */
  fromText: string;
  toText: string;
  /** Bucket-aligned [start, end): `from` snapped down to its bar, `to` up through the end of its bar. */
  start: number;
  end: number;
  adjusted: boolean;
  sort: SortOrder;
  limit: number;
  /** Sources fixed by the first page, when following a next_url. */
  cursor?: AggregateCursor;
}

export function aggregatesRequestOf(params: AggregatesParams, query: AggregatesQuery): AggregatesRequest {
  const multiplier = Number(params.multiplier);
  if (!Number.isSafeInteger(multiplier) || multiplier < 1 || multiplier > MAX_MULTIPLIER) {
    throw PolygonRequestError.badParameter('multiplier', `must be a whole number from 1 to ${MAX_MULTIPLIER}, got '${params.multiplier}'`);
  }
  if (params.timespan === 'second') {
    throw PolygonRequestError.badParameter(
      'timespan',
      'second bars are not stored here; use minute, hour, day, week, month, quarter or year',
    );
  }
  const span = AggregateSpan.of(multiplier, params.timespan satisfies ServedTimespan);
  const from = parsePolygonTime(params.from, 'from');
  const to = parsePolygonTime(params.to, 'to');
  const cursor = query.cursor === undefined ? undefined : decodeAggregateCursor(query.cursor);
  const start = span.bucketStart(from);
  return {
    ticker: params.ticker,
    symbol: params.ticker.toUpperCase(),
    span,
    fromText: params.from,
    toText: params.to,
    start,
    // An inverted range is empty, as there: no bar starts in it.
    end: to < from ? start : span.nextBucketStart(to),
    adjusted: cursor ? cursor.adjusted : query.adjusted !== 'false',
    sort: cursor?.sort ?? query.sort ?? 'asc',
    limit: cursor?.limit ?? Math.min(MAX_LIMIT, query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit)),
    cursor,
  };
}
