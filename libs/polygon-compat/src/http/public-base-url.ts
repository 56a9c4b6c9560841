import type { Request } from 'express';
import { PolygonRequestError } from './polygon-request.error';

/** A host as a Host or X-Forwarded-Host header may name it: name or address, optional port. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The absolute base of links this service sends (`next_url`): PUBLIC_BASE_URL when set, else the
 * scheme and host the request came to. Express derives those from X-Forwarded-Proto and
 * X-Forwarded-Host only through the proxies TRUST_PROXY names, so nobody else can redirect them.
 * Clients compare it with their configured base (the Python client strips it), so no trailing slash.
 */
export function publicBaseUrl(configured: string | undefined, request: Pick<Request, 'protocol' | 'host'>): string {
  if (configured) return configured.replace(/\/+$/, '');
  const host = request.host;
  if (!host || !HOST.test(host))
    throw new PolygonRequestError(400, 'ERROR', 'Host: the request names no usable host for next_url; set PUBLIC_BASE_URL');
  return `${request.protocol}://${host}`;
}

/** A path segment of a link (a ticker, a time) escaped, but with `:` kept as the provider writes it (X:BTCUSD). */
export function pathSegment(text: string): string {
  return encodeURIComponent(text).replace(/%3A/gi, ':');
}
