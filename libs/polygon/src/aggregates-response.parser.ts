/** One element of `results`, fields not checked yet (bar.validator does that, page by page). */
export type RawAggregate = Record<string, unknown>;

/** The envelope of a 200 answer of GET /v2/aggs/ticker/.../range/... */
export interface AggregatesResponse {
  status: string;
  requestId: string;
  queryCount: number;
  resultsCount: number;
  adjusted: boolean;
  results: RawAggregate[];
  nextUrl?: string;
}

/** The body is not the documented JSON (truncated, garbage, a proxy's HTML page): worth a retry. */
export class MalformedResponseError extends Error {
  constructor(
    readonly problem: string,
    readonly requestId?: string,
  ) {
    super(`unreadable provider answer: ${problem}`);
  }
}

const ACCEPTED_STATUSES = new Set(['OK', 'DELAYED']);

export function parseAggregatesBody(text: string): AggregatesResponse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MalformedResponseError(
      `not JSON (${text.length} bytes${text.length ? `, starts with ${JSON.stringify(text.slice(0, 24))}` : ''})`,
    );
  }
  if (!isRecord(body)) throw new MalformedResponseError('not a JSON object');
  const requestId = typeof body.request_id === 'string' ? body.request_id : undefined;
  const problem = envelopeProblem(body);
  if (problem) throw new MalformedResponseError(problem, requestId);
  const results = body.results === undefined ? [] : (body.results as unknown[]);
  if (!results.every(isRecord)) throw new MalformedResponseError('results holds a non-object', requestId);
  return {
    status: body.status as string,
    requestId: requestId!,
    queryCount: body.queryCount as number,
    resultsCount: body.resultsCount as number,
    adjusted: body.adjusted as boolean,
    results,
    nextUrl: typeof body.next_url === 'string' && body.next_url !== '' ? body.next_url : undefined,
  };
}

function envelopeProblem(body: Record<string, unknown>): string | undefined {
  if (typeof body.status !== 'string' || !ACCEPTED_STATUSES.has(body.status)) return `status is ${JSON.stringify(body.status)}`;
  if (typeof body.request_id !== 'string') return 'request_id is missing';
  if (!isCount(body.queryCount)) return 'queryCount is not a count';
  if (!isCount(body.resultsCount)) return 'resultsCount is not a count';
  if (typeof body.adjusted !== 'boolean') return 'adjusted is not a boolean';
  if (body.results !== undefined && !Array.isArray(body.results)) return 'results is not an array';
  const results = (body.results as unknown[] | undefined) ?? [];
  if (results.length !== body.resultsCount) return `resultsCount ${body.resultsCount} but ${results.length} results`;
  if (body.next_url !== undefined && typeof body.next_url !== 'string') return 'next_url is not a string';
  return undefined;
}

/** The provider's words and request id from an error body (`message` on 403, `error` elsewhere). */
export function describeErrorBody(text: string): { message: string; requestId?: string } {
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body)) {
      const message = [body.message, body.error, body.status].find((v): v is string => typeof v === 'string' && v !== '');
      return { message: message ?? 'no message', requestId: typeof body.request_id === 'string' ? body.request_id : undefined };
    }
  } catch {
    // not JSON: fall through to a short excerpt
  }
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, 120);
  return { message: excerpt === '' ? 'empty body' : `non-JSON body "${excerpt}"` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
