import type { TimeRange } from '@app/core';
import { createHash } from 'node:crypto';

export type SortOrder = 'asc' | 'desc';

/** What a client chose; a cursor only continues the query it came from. */
export interface CursorQuery {
  symbol: string;
  timeframe: string;
  sort: SortOrder;
  /** As given (parsed to ms), or undefined when defaulted. */
  start?: number;
  end?: number;
  /** Undefined means auto / extended, the defaults. */
  source?: string;
  session?: string;
}

/** Decoded cursor: the window fixed by the first page and the last bar already served. */
export interface CursorState {
  window: TimeRange;
  /** Time (Unix ms) of the last bar of the previous page. */
  after: number;
}

export class CursorError extends Error {}

const VERSION = 1;

/**
 * Opaque to clients: base64url JSON of the window, the last bar served and a
 * fingerprint of the query. The window travels in the cursor so that a defaulted
 * `end` (now) stays put while a client pages through.
 */
export function encodeCursor(query: CursorQuery, state: CursorState): string {
  const payload = [VERSION, fingerprint(query), state.window.start, state.window.end, state.after];
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string, query: CursorQuery): CursorState {
  const payload = parsePayload(cursor);
  if (!payload) throw new CursorError('is not a cursor issued by this API');
  const [, print, start, end, after] = payload;
  if (print !== fingerprint(query)) {
    throw new CursorError(
      'belongs to a different query; keep symbol, timeframe, start, end, sort, source and session as on the first page',
    );
  }
  return { window: { start, end }, after };
}

type Payload = [number, string, number, number, number];

function parsePayload(cursor: string): Payload | undefined {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 5 || value[0] !== VERSION || typeof value[1] !== 'string') return undefined;
  const numbers = value.slice(2);
  if (!numbers.every((n) => Number.isSafeInteger(n))) return undefined;
  return value as Payload;
}

function fingerprint(query: CursorQuery): string {
  const identity: (string | number | null)[] = [query.symbol, query.timeframe, query.sort, query.start ?? null, query.end ?? null];
  // Only non-default choices join the identity, so cursors of default queries are unchanged.
  const source = query.source ?? 'auto';
  const session = query.session ?? 'extended';
  if (source !== 'auto' || session !== 'extended') identity.push(source, session);
  return createHash('sha256').update(JSON.stringify(identity)).digest('base64url').slice(0, 16);
}
