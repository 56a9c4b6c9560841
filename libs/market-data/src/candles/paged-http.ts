import { parseInstant } from '@app/http';
import type { CandlesQueryDto } from './candles-query.dto';
import type { CandlesRequest } from './candles.service';

/** The request members the paged routes (/candles, /indicators) use: Node's, as Express extends them. */
export interface PagedHttpRequest {
  originalUrl?: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The response members they use. */
export interface PagedHttpResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: Buffer): unknown;
}

/** An answer ready to send: status, headers, encoded body (none for a 304), and the cursor of the next page if any. */
export interface PagedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly nextCursor?: string | null;
}

export function headerOf(request: PagedHttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The candles query of a route that takes /candles' parameters, times parsed. */
export function candlesRequestOf(symbol: string, query: CandlesQueryDto): CandlesRequest {
  return {
    symbol,
    timeframe: query.timeframe,
    start: query.start === undefined ? undefined : parseInstant(query.start),
    end: query.end === undefined ? undefined : parseInstant(query.end),
    limit: query.limit,
    cursor: query.cursor,
    sort: query.sort,
    source: query.source,
    session: query.session,
  };
}

/** Sends `answer`, with a Link to the same request for the next page when there is one. */
export function sendPagedAnswer(request: PagedHttpRequest, response: PagedHttpResponse, answer: PagedAnswer): void {
  response.statusCode = answer.status;
  for (const name in answer.headers) response.setHeader(name, answer.headers[name]);
  if (answer.nextCursor) response.setHeader('Link', nextPageLink(request.originalUrl ?? request.url, answer.nextCursor));
  response.end(answer.body);
}

/** The Link header of a paged answer: the same request with `cursor` set to the next page's. */
function nextPageLink(url: string, cursor: string): string {
  const [path, search = ''] = url.split('?', 2);
  const params = new URLSearchParams(search);
  params.set('cursor', cursor);
  return `<${path}?${params.toString()}>; rel="next"`;
}
