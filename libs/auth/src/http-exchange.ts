import type { ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';

/** The request members the guards read; Express and Fastify requests both have them. */
export interface GuardedRequest {
  method: string;
  url: string;
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  /** The client address, from the socket or through TRUST_PROXY's proxies (undefined once the socket is gone). */
  ip?: string;
}

/** Express's response and Fastify's reply both set headers with `header(name, value)`. */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

export function requestOf(context: ExecutionContext): GuardedRequest {
  return context.switchToHttp().getRequest<GuardedRequest>();
}

export function responseOf(context: ExecutionContext): HeaderSink {
  return context.switchToHttp().getResponse<HeaderSink>();
}

/** One header value; a repeated header counts as malformed and yields undefined. */
export function singleHeader(request: GuardedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isReadRequest(request: GuardedRequest): boolean {
  return READ_METHODS.has(request.method.toUpperCase());
}

/**
 * API keys and the rate limit cover the client API under /api/. Operational routes
 * (/health for load balancers and orchestrators, metrics) stay reachable without a key.
 */
export function isClientApiRequest(request: GuardedRequest): boolean {
  return (request.originalUrl ?? request.url).startsWith('/api/');
}
