import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedResponseError, describeErrorBody, parseAggregatesBody } from './aggregates-response.parser';
import { backoffDelayMs, retryAfterMs } from './retry.policy';

const RECORDED = readFileSync(join(__dirname, '../test-fixtures/aggs-AAPL-1-day-2005-04-01-2005-04-04.json'), 'utf8');

describe('parseAggregatesBody', () => {
  it('reads the recorded provider answer', () => {
    const response = parseAggregatesBody(RECORDED);
    expect(response).toMatchObject({
      status: 'OK',
      requestId: '12afda77aab3b1936c5fb6ef4241ae42',
      queryCount: 2,
      resultsCount: 2,
      adjusted: true,
    });
    expect(response.results[0]).toMatchObject({ o: 1.5032, t: 1112331600000 });
    expect(response.nextUrl).toBeUndefined();
  });

  it('treats an answer without results as an empty page', () => {
    const body = JSON.stringify({ ticker: 'AAPL', queryCount: 0, resultsCount: 0, adjusted: true, status: 'DELAYED', request_id: 'r' });
    expect(parseAggregatesBody(body).results).toEqual([]);
  });

  it.each([
    ['truncated JSON', RECORDED.slice(0, 200)],
    ['an HTML page', '<html><body>502</body></html>'],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['an error status', JSON.stringify({ status: 'ERROR', request_id: 'r', error: 'x' })],
    ['a missing request id', RECORDED.replace('"request_id"', '"rid"')],
    ['a results count that does not match', RECORDED.replace('"resultsCount": 2', '"resultsCount": 3')],
    ['results that are not objects', RECORDED.replace(/"results": \[[^\]]*\]/s, '"results": [1, 2]')],
  ])('calls %s unreadable (worth a retry)', (_, body) => {
    expect(() => parseAggregatesBody(body)).toThrow(MalformedResponseError);
  });

  it("takes the provider's words from error bodies: `message` on 403, `error` elsewhere", () => {
    expect(describeErrorBody('{"status":"NOT_AUTHORIZED","request_id":"a","message":"upgrade your plan"}')).toEqual({
      message: 'upgrade your plan',
      requestId: 'a',
    });
    expect(describeErrorBody('{"status":"ERROR","request_id":"b","error":"too many"}')).toEqual({ message: 'too many', requestId: 'b' });
    expect(describeErrorBody('<html>\n<b>bad gateway</b></html>').message).toBe('non-JSON body "<html> <b>bad gateway</b></html>"');
  });
});

describe('retry policy', () => {
  it('doubles the backoff per retry with jitter in the upper half, capped', () => {
    expect(backoffDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelayMs(3, 1000, 60_000, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });

  it('reads Retry-After as seconds or an HTTP date, capped', () => {
    expect(retryAfterMs('2', 120_000)).toBe(2000);
    expect(retryAfterMs('0.5', 120_000)).toBe(500);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), 120_000, Date.UTC(2030, 0, 1))).toBe(30_000);
    expect(retryAfterMs('86400', 120_000)).toBe(120_000);
    expect(retryAfterMs(undefined, 120_000)).toBeUndefined();
    expect(retryAfterMs('soon', 120_000)).toBeUndefined();
  });
});
