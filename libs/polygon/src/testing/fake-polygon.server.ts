import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newYorkWallToUtc } from '@app/core';
import { AggregatesQuery, FAKE_TIMESPANS, FakeTimespan, answerAggregates, snappedEnd } from './fake-aggregates.query';
import { FakeMarket, FakeMarketOptions } from './fake-market';
import {
  BAD_GATEWAY_HTML,
  GARBAGE_HTML,
  badRequestBody,
  missingKeyBody,
  newRequestId,
  notAuthorizedBody,
  notFoundBody,
  rateLimitedBody,
  serverErrorBody,
} from './fake-polygon.bodies';
import { FaultKind, FaultPlan } from './fake-polygon.faults';

export interface FakePolygonOptions extends FakeMarketOptions {
  /** The key clients must send (Bearer header or apiKey parameter). Default 'test-key'. */
  apiKey?: string;
  /** Default 0: a free port on 127.0.0.1. */
  port?: number;
  host?: string;
  /** The provider's own limit: more requests than this within `windowMs` get 429. Default: none. */
  rateLimit?: { requests: number; windowMs?: number };
  /** Sent as Retry-After with every 429 when set. */
  retryAfterSeconds?: number;
  /** Largest `limit` honoured (the provider's is 50000); lower it to make pages small. */
  maxLimit?: number;
  /** false: an answer that reaches the limit is cut silently, without next_url. Default true. */
  nextUrl?: boolean;
  /** Host named in next_url; the provider names its public one. Default https://api.polygon.io. */
  publicBaseUrl?: string;
}

export interface FakeRequestRecord {
  at: number;
  method: string;
  path: string;
  /** The query string without any apiKey parameter. */
  query: string;
  /** The request_id the answer carried. */
  requestId: string;
  ticker?: string;
  status: number;
  fault?: FaultKind;
  /** The key the request carried matched. */
  authorized: boolean;
}

const ROUTE = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/;
const PROVIDER_MAX_LIMIT = 50_000;
/** Serialized answers kept; a year of minute pages is six. */
const BODY_CACHE_SIZE = 32;
const REQUEST_ID_SLOT = '@request-id@';
const DEFAULT_LIMIT = 5_000;

class BadRequest extends Error {}

/**
 * A real HTTP server on loopback that answers the Polygon aggregates route per the
 * documented contract (see test-fixtures/contract.md): Bearer or apiKey auth, any multiplier of
 * minute, hour, day, week, month, quarter and year, from/to as
 * YYYY-MM-DD (New York dates) or Unix ms, snapped to bar boundaries, `limit` counted on base
 * aggregates, cursor next_url without a key, sort, adjusted, the provider's 429/403/404
 * bodies, its own rate limit, and faults injected on demand. Every request is recorded.
 */
export class FakePolygonServer {
  readonly market: FakeMarket;
  readonly faults = new FaultPlan();
  readonly requests: FakeRequestRecord[] = [];
  readonly apiKey: string;
  private readonly accepted: number[] = [];
  private readonly hanging = new Set<ServerResponse>();
  /**
   * Answers about the past do not change until a revision, so they are kept serialized, as a
   * provider serves from its caches: a benchmark then measures the client, not this fake.
   */
  private readonly bodies = new Map<string, string>();

  private constructor(
    private readonly server: Server,
    private readonly options: FakePolygonOptions,
  ) {
    this.apiKey = options.apiKey ?? 'test-key';
    this.market = new FakeMarket(options);
  }

  static async start(options: FakePolygonOptions = {}): Promise<FakePolygonServer> {
    const server = createServer();
    const fake = new FakePolygonServer(server, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => fake.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** Base URL to give the client as POLYGON_BASE_URL. */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  get requestCount(): number {
    return this.requests.length;
  }

  /** Requests answered with `status`. */
  countStatus(status: number): number {
    return this.requests.filter((r) => r.status === status).length;
  }

  /** Forgets recorded requests, queued faults and the rate-limit window. */
  reset(): void {
    this.requests.length = 0;
    this.accepted.length = 0;
    this.faults.clear();
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake-polygon.local');
    const requestId = newRequestId();
    const loggedQuery = new URLSearchParams(url.searchParams);
    loggedQuery.delete('apiKey');
    const record: FakeRequestRecord = {
      at: Date.now(),
      method: request.method ?? '',
      path: url.pathname,
      query: loggedQuery.toString(),
      requestId,
      status: 0,
      authorized: false,
    };
    this.requests.push(record);
    const send = (status: number, body: object | string, headers: Record<string, string> = {}): void => {
      record.status = status;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const contentType = typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
      response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
      response.end(text);
    };
    const match = ROUTE.exec(url.pathname);
    if (request.method !== 'GET' || !match) return send(404, notFoundBody(requestId));
    record.ticker = decodeURIComponent(match[1]);

    const fault = this.faults.take();
    record.fault = fault;
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault === 'hang') {
      this.hanging.add(response);
      response.on('close', () => this.hanging.delete(response));
      return;
    }

    const key = bearerKey(request) ?? url.searchParams.get('apiKey') ?? undefined;
    if (key === undefined) return send(401, missingKeyBody(requestId));
    if (key !== this.apiKey) return send(403, notAuthorizedBody(requestId));
    record.authorized = true;
    if (fault === 'rate-limit' || !this.admit()) return send(429, rateLimitedBody(requestId), this.retryAfterHeader());
    switch (fault) {
      case 'server-error':
        return send(500, serverErrorBody(requestId));
      case 'bad-gateway':
        return send(502, BAD_GATEWAY_HTML);
      case 'garbage':
        return send(200, GARBAGE_HTML);
      case 'not-authorized':
        return send(403, notAuthorizedBody(requestId));
      case 'not-found':
        return send(404, notFoundBody(requestId));
      default:
        break;
    }

    let query: AggregatesQuery;
    try {
      query = this.parseQuery(record.ticker, match, url.searchParams);
    } catch (error) {
      if (error instanceof BadRequest || error instanceof RangeError) return send(400, badRequestBody(requestId, error.message));
      throw error;
    }
    const json = { 'Content-Type': 'application/json; charset=utf-8' };
    const cacheKey =
      fault === undefined && snappedEnd(query) <= this.market.now() ? `${this.market.version}|${url.pathname}?${record.query}` : undefined;
    const cached = cacheKey === undefined ? undefined : this.bodies.get(cacheKey);
    if (cached !== undefined) return send(200, cached.replace(REQUEST_ID_SLOT, requestId), json);

    const answer = answerAggregates(this.market, query);
    let results = answer.results;
    let queryCount = answer.queryCount;
    let continueAt = answer.continueAt;
    if (fault === 'cut' && results.length > 1) {
      results = results.slice(0, Math.ceil(results.length / 2));
      queryCount = results.length;
      continueAt = undefined;
    }
    if (fault === 'ohlc-violation' && results.length) {
      const bad = results[Math.floor(results.length / 2)];
      results[Math.floor(results.length / 2)] = { ...bad, h: bad.l - 0.01 };
    }
    const body = {
      ticker: query.ticker,
      queryCount,
      resultsCount: results.length,
      adjusted: query.adjusted,
      ...(results.length ? { results } : {}),
      status: 'OK',
      request_id: cacheKey === undefined ? requestId : REQUEST_ID_SLOT,
      count: results.length,
      ...(continueAt ? { next_url: this.nextUrl(query, match, continueAt) } : {}),
    };
    const text = JSON.stringify(body);
    if (fault === 'truncated-json') return send(200, text.slice(0, Math.floor(text.length / 2)), json);
    if (cacheKey !== undefined) {
      if (this.bodies.size >= BODY_CACHE_SIZE) this.bodies.delete(this.bodies.keys().next().value!);
      this.bodies.set(cacheKey, text);
      return send(200, text.replace(REQUEST_ID_SLOT, requestId), json);
    }
    send(200, text, json);
  }

  /** Sliding window over admitted requests. */
  private admit(): boolean {
    const limit = this.options.rateLimit;
    if (!limit) return true;
    const now = Date.now();
    const windowStart = now - (limit.windowMs ?? 60_000);
    while (this.accepted.length && this.accepted[0] <= windowStart) this.accepted.shift();
    if (this.accepted.length >= limit.requests) return false;
    this.accepted.push(now);
    return true;
  }

  private retryAfterHeader(): Record<string, string> {
    return this.options.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(this.options.retryAfterSeconds) };
  }

  private parseQuery(ticker: string, match: RegExpExecArray, search: URLSearchParams): AggregatesQuery {
    const multiplier = Number(match[2]);
    if (!Number.isInteger(multiplier) || multiplier < 1) throw new BadRequest(`multiplier must be a positive integer, got '${match[2]}'`);
    const timespan = match[3] as FakeTimespan;
    if (!FAKE_TIMESPANS.includes(timespan))
      throw new BadRequest(`this fake serves timespans ${FAKE_TIMESPANS.join(', ')}; got '${match[3]}'`);
    // A cursor carries the paging parameters of the first request; the rest of the query is ignored.
    const cursor = search.get('cursor');
    const params = cursor ? new URLSearchParams(Buffer.from(cursor, 'base64url').toString('utf8')) : search;
    const limitParam = params.get('limit');
    const requestedLimit = limitParam === null ? DEFAULT_LIMIT : Number(limitParam);
    if (!Number.isInteger(requestedLimit) || requestedLimit < 1)
      throw new BadRequest(`limit must be a positive integer, got '${limitParam}'`);
    const sort = params.get('sort') ?? 'asc';
    if (sort !== 'asc' && sort !== 'desc') throw new BadRequest(`sort must be asc or desc, got '${sort}'`);
    const adjusted = params.get('adjusted') ?? 'true';
    if (adjusted !== 'true' && adjusted !== 'false') throw new BadRequest(`adjusted must be true or false, got '${adjusted}'`);
    return {
      ticker,
      multiplier,
      timespan,
      from: parseInstant(decodeURIComponent(match[4]), 'from'),
      to: parseInstant(decodeURIComponent(match[5]), 'to'),
      adjusted: adjusted === 'true',
      sort,
      limit: Math.min(requestedLimit, PROVIDER_MAX_LIMIT, this.options.maxLimit ?? PROVIDER_MAX_LIMIT),
      paginate: this.options.nextUrl ?? true,
    };
  }

  /** Like the provider's: its public host, the moved `from` (or `to` when descending), a cursor, no key. */
  private nextUrl(query: AggregatesQuery, match: RegExpExecArray, continueAt: { from?: number; to?: number }): string {
    const cursor = Buffer.from(`adjusted=${query.adjusted}&limit=${query.limit}&sort=${query.sort}`, 'utf8').toString('base64url');
    const from = continueAt.from ?? match[4];
    const to = continueAt.to ?? match[5];
    const base = (this.options.publicBaseUrl ?? 'https://api.polygon.io').replace(/\/+$/, '');
    return `${base}/v2/aggs/ticker/${match[1]}/range/${match[2]}/${match[3]}/${from}/${to}?cursor=${cursor}`;
  }
}

function bearerKey(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1] : '';
}

/** Unix ms, or a New York date: `from` at its midnight, `to` at the last ms of the day. */
function parseInstant(value: string, name: 'from' | 'to'): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const wallMidnight = Date.UTC(year, month - 1, day);
    const check = new Date(wallMidnight);
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return name === 'from' ? newYorkWallToUtc(wallMidnight) : newYorkWallToUtc(wallMidnight + 86_400_000) - 1;
    }
  }
  // The provider's own words (polygon-io/issues#312).
  throw new BadRequest(`Could not parse the time parameter: '${name}'. Use YYYY-MM-DD or Unix MS Timestamps`);
}
