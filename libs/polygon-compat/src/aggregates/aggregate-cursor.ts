import { SERVED_SOURCES, type ServedSource } from '@app/market-data';
import type { SortOrder } from '@app/core';
import { PolygonRequestError } from '../http/polygon-request.error';

/**
 * What a `next_url` carries besides its path (which holds the moved `from`, or `to` when
 * descending, as the provider's does): the first request's paging parameters and the sources it
 * was answered from, so every page of one query reads the same source. Never a key.
 */
export interface AggregateCursor {
  adjusted: boolean;
  limit: number;
  sort: SortOrder;
  /** Where the day bars came from (day and longer spans). */
  daySource?: ServedSource;
  /** Where bars of the stored timeframe this span is came from (5m ... 4h, 1w). */
  storedSource?: ServedSource;
}

export function encodeAggregateCursor(cursor: AggregateCursor): string {
  const params = new URLSearchParams({ adjusted: String(cursor.adjusted), limit: String(cursor.limit), sort: cursor.sort });
  if (cursor.daySource) params.set('days', cursor.daySource);
  if (cursor.storedSource) params.set('stored', cursor.storedSource);
  return Buffer.from(params.toString(), 'utf8').toString('base64url');
}

export function decodeAggregateCursor(text: string): AggregateCursor {
  const params = new URLSearchParams(Buffer.from(text, 'base64url').toString('utf8'));
  const limit = Number(params.get('limit'));
  const sort = params.get('sort');
  const adjusted = params.get('adjusted');
  const days = params.get('days');
  const stored = params.get('stored');
  const valid =
    Number.isSafeInteger(limit) &&
    limit >= 1 &&
    (sort === 'asc' || sort === 'desc') &&
    (adjusted === 'true' || adjusted === 'false') &&
    (days === null || isServedSource(days)) &&
    (stored === null || isServedSource(stored));
  if (!valid) throw PolygonRequestError.badParameter('cursor', 'is not a cursor of this service; follow next_url as it was sent');
  return {
    adjusted: adjusted === 'true',
    limit,
    sort,
    ...(days ? { daySource: days } : {}),
    ...(stored ? { storedSource: stored } : {}),
  };
}

function isServedSource(text: string): text is ServedSource {
  return (SERVED_SOURCES as readonly string[]).includes(text);
}
