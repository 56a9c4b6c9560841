import type { TimeRange } from '@app/core';
import { PolygonRequestError } from '../http/polygon-request.error';
import type { IndicatorParameters } from './indicator-request';

/**
 * The next_url cursor of an indicator route: the first request's parameters, the window it fixed
 * (so every page warms up from the same start) and the candle cursor of the next page. Never a key.
 */
export interface IndicatorCursor {
  parameters: IndicatorParameters;
  window: TimeRange;
  candles: string;
}

export function encodeIndicatorCursor(cursor: IndicatorCursor): string {
  return Buffer.from(JSON.stringify([cursor.parameters, cursor.window.start, cursor.window.end, cursor.candles]), 'utf8').toString(
    'base64url',
  );
}

export function decodeIndicatorCursor(text: string): IndicatorCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 4) throw invalid();
  const [parameters, start, end, candles] = decoded as unknown[];
  const isParameters =
    typeof parameters === 'object' && parameters !== null && Object.values(parameters).every((value) => typeof value === 'string');
  if (!isParameters || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || typeof candles !== 'string') throw invalid();
  return { parameters: parameters, window: { start: start as number, end: end as number }, candles };
}

function invalid(): PolygonRequestError {
  return PolygonRequestError.badParameter('cursor', 'is not a cursor of this service; follow next_url as it was sent');
}
