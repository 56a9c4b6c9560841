import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { newYorkDayStart } from '@app/core';
import { FakePolygonServer } from './fake-polygon.server';
import { FAKE_SPLIT_AT } from './fake-market';
import { spyMinuteBars } from './spy-minute.fixture';
import type { WireBar } from './wire-bar';

const KEY = 'pk_fake_contract_0123456789abcdef';
const RECORDED = JSON.parse(
  readFileSync(join(__dirname, '../../test-fixtures/aggs-AAPL-1-day-2005-04-01-2005-04-04.json'), 'utf8'),
) as Record<string, unknown>;

/** What a 200 or error body may hold; tests read the fields they expect. */
interface Body {
  ticker: string;
  queryCount: number;
  resultsCount: number;
  count: number;
  adjusted: boolean;
  results: WireBar[];
  status: string;
  request_id: string;
  next_url?: string;
  error?: string;
  message?: string;
}

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  /** Undefined when the body is not JSON. */
  json: Body;
}

let fake: FakePolygonServer;

async function get(path: string, key: string | null = KEY, server: FakePolygonServer = fake): Promise<Answer> {
  const response = await fetch(server.url + path, { headers: key === null ? {} : { Authorization: `Bearer ${key}` } });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: Object.fromEntries(response.headers.entries()), text, json: json as Body };
}

/** Follows next_url on the fake (its path and query), as a client must. */
async function allPages(path: string): Promise<{ bars: WireBar[]; pages: number }> {
  const bars: WireBar[] = [];
  let pages = 0;
  for (let next: string | undefined = path; next; pages++) {
    const answer = await get(next);
    expect(answer.status).toBe(200);
    bars.push(...(answer.json.results ?? []));
    next = answer.json.next_url ? pathOf(answer.json.next_url) : undefined;
  }
  return { bars, pages };
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

function typeShape(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, Array.isArray(v) ? 'array' : typeof v]));
}

beforeAll(async () => {
  fake = await FakePolygonServer.start({ apiKey: KEY, now: () => Date.UTC(2024, 5, 1) });
});

afterAll(() => fake.stop());

beforeEach(() => fake.reset());

describe('FakePolygonServer against the recorded provider answer', () => {
  it('answers the recorded request with the same fields, types and bar times', async () => {
    const answer = await get('/v2/aggs/ticker/AAPL/range/1/day/2005-04-01/2005-04-04');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(typeShape(answer.json as unknown as Record<string, unknown>)).toEqual(typeShape(RECORDED));
    const recordedBars = RECORDED.results as Record<string, unknown>[];
    expect(answer.json.results).toHaveLength(recordedBars.length);
    answer.json.results.forEach((bar, i) => {
      expect(Object.keys(bar)).toEqual(Object.keys(recordedBars[i]));
      expect(typeShape(bar as unknown as Record<string, unknown>)).toEqual(typeShape(recordedBars[i]));
      // Day bars start at 00:00 America/New_York, as the provider's do.
      expect(bar.t).toBe(recordedBars[i].t);
    });
    expect(answer.json).toMatchObject({ ticker: 'AAPL', queryCount: 2, resultsCount: 2, count: 2, adjusted: true, status: 'OK' });
    expect(answer.json.request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.json.next_url).toBeUndefined();
  });
});

describe('FakePolygonServer bars', () => {
  it('serves the real SPY minute bars of January 2011, each starting 60 s before its stamp', async () => {
    const { bars } = await allPages('/v2/aggs/ticker/SPY/range/1/minute/2011-01-03/2011-01-31?limit=50000');
    const fixture = spyMinuteBars();
    expect(fixture).toHaveLength(14_180);
    expect(bars).toEqual(fixture.map((b) => ({ v: b.v, o: b.o, c: b.c, h: b.h, l: b.l, t: b.t })));
    expect(bars[0]).toEqual({ v: 1579, o: 126.35, c: 126.39, h: 126.39, l: 126.35, t: Date.UTC(2011, 0, 3, 9, 0) });
    expect(bars.some((b) => b.t >= Date.UTC(2011, 0, 17, 5) && b.t < Date.UTC(2011, 0, 18, 5))).toBe(false); // MLK day
  });

  it('builds hour and day bars from the same minutes', async () => {
    const minutes = (await allPages('/v2/aggs/ticker/SPY/range/1/minute/2011-01-04/2011-01-04?limit=50000')).bars;
    const hours = (await get('/v2/aggs/ticker/SPY/range/1/hour/2011-01-04/2011-01-04')).json.results;
    const day = (await get('/v2/aggs/ticker/SPY/range/1/day/2011-01-04/2011-01-04')).json.results;
    expect(day).toHaveLength(1);
    expect(day[0]).toMatchObject({
      t: newYorkDayStart(Date.UTC(2011, 0, 4, 12)),
      o: minutes[0].o,
      c: minutes[minutes.length - 1].c,
      h: Math.max(...minutes.map((b) => b.h)),
      l: Math.min(...minutes.map((b) => b.l)),
      v: minutes.reduce((s, b) => s + b.v, 0),
    });
    expect(hours.reduce((s, b) => s + b.v, 0)).toBe(day[0].v);
    for (const hour of hours) expect(hour.t % 3_600_000).toBe(0);
  });

  it('generates stock bars in extended hours on NYSE trading days only, crypto around the clock', async () => {
    const saturday = '2024-01-06';
    expect((await get(`/v2/aggs/ticker/AAPL/range/1/minute/${saturday}/${saturday}?limit=50000`)).json.resultsCount).toBe(0);
    expect((await get('/v2/aggs/ticker/AAPL/range/1/minute/2024-01-15/2024-01-15?limit=50000')).json.resultsCount).toBe(0); // MLK day
    const weekday = (await get('/v2/aggs/ticker/AAPL/range/1/minute/2024-01-05/2024-01-05?limit=50000')).json.results;
    expect(weekday.length).toBeGreaterThan(900);
    expect(weekday.length).toBeLessThanOrEqual(960);
    expect(weekday[0].t).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 5, 9)); // 04:00 ET
    expect(weekday[weekday.length - 1].t).toBeLessThan(Date.UTC(2024, 0, 6, 1)); // 20:00 ET
    expect((await get(`/v2/aggs/ticker/X:BTCUSD/range/1/minute/${saturday}/${saturday}?limit=50000`)).json.resultsCount).toBe(1440);
  });

  it('is deterministic and keeps every bar consistent (low <= open, close <= high)', async () => {
    const first = await get('/v2/aggs/ticker/MSFT/range/5/minute/2024-02-01/2024-02-02?limit=50000');
    const second = await get('/v2/aggs/ticker/MSFT/range/5/minute/2024-02-01/2024-02-02?limit=50000');
    expect(second.json.results).toEqual(first.json.results);
    for (const b of first.json.results) {
      expect(b.l).toBeLessThanOrEqual(Math.min(b.o, b.c));
      expect(b.h).toBeGreaterThanOrEqual(Math.max(b.o, b.c));
      expect(b.t % 300_000).toBe(0);
    }
  });

  it('starts day bars at New York midnight and week bars on Sunday across the clock change', async () => {
    const days = (await get('/v2/aggs/ticker/AAPL/range/1/day/2024-03-07/2024-03-12')).json.results;
    expect(days.map((b) => new Date(b.t).toISOString())).toEqual([
      '2024-03-07T05:00:00.000Z',
      '2024-03-08T05:00:00.000Z',
      '2024-03-11T04:00:00.000Z',
      '2024-03-12T04:00:00.000Z',
    ]);
    const weeks = (await get('/v2/aggs/ticker/AAPL/range/1/week/2024-03-01/2024-03-20')).json.results;
    expect(weeks.map((b) => new Date(b.t).toISOString())).toEqual([
      '2024-02-25T05:00:00.000Z',
      '2024-03-03T05:00:00.000Z',
      '2024-03-10T05:00:00.000Z',
      '2024-03-17T04:00:00.000Z',
    ]);
  });

  it('builds month, quarter and year bars from New York days, and runs of days from Sunday 2000-01-02', async () => {
    const days = (await get('/v2/aggs/ticker/AAPL/range/1/day/2023-01-01/2023-12-31?limit=50000')).json.results;
    const months = (await get('/v2/aggs/ticker/AAPL/range/1/month/2023-01-01/2023-12-31?limit=50000')).json.results;
    // New York midnight: 05:00Z in winter, 04:00Z from the March clock change (Mar 12) to November's (Nov 5).
    expect(months.map((b) => new Date(b.t).toISOString().slice(0, 13))).toEqual([
      ...['01', '02', '03'].map((m) => `2023-${m}-01T05`),
      ...['04', '05', '06', '07', '08', '09', '10', '11'].map((m) => `2023-${m}-01T04`),
      '2023-12-01T05',
    ]);
    const march = days.filter((b) => b.t >= months[2].t && b.t < months[3].t);
    expect(months[2]).toMatchObject({ o: march[0].o, c: march[march.length - 1].c, v: march.reduce((s, b) => s + b.v, 0) });
    const quarters = (await get('/v2/aggs/ticker/AAPL/range/1/quarter/2023-01-01/2023-12-31?limit=50000')).json;
    expect(quarters.results.map((b) => b.t)).toEqual([months[0].t, months[3].t, months[6].t, months[9].t]);
    expect(quarters.queryCount).toBe(days.length);
    const year = (await get('/v2/aggs/ticker/AAPL/range/1/year/2023-03-05/2023-03-05')).json;
    expect([year.results[0].t, year.queryCount]).toEqual([months[0].t, days.length]);
    // Monday 2024-01-08 is 8772 days after Sunday 2000-01-02: an even count, so it starts a pair.
    const pairs = (await get('/v2/aggs/ticker/AAPL/range/2/day/2024-01-09/2024-01-10')).json;
    expect(pairs.results.map((b) => new Date(b.t).toISOString())).toEqual(['2024-01-08T05:00:00.000Z', '2024-01-10T05:00:00.000Z']);
    expect(pairs.queryCount).toBe(4);
  });

  it('snaps `from` down to its bar start and `to` up to its bar end, both ends inclusive', async () => {
    const from = Date.UTC(2024, 0, 5, 15, 30);
    const to = Date.UTC(2024, 0, 5, 17, 10);
    const hours = (await get(`/v2/aggs/ticker/X:BTCUSD/range/1/hour/${from}/${to}`)).json.results;
    expect(hours.map((b) => new Date(b.t).toISOString())).toEqual([
      '2024-01-05T15:00:00.000Z',
      '2024-01-05T16:00:00.000Z',
      '2024-01-05T17:00:00.000Z',
    ]);
  });

  it('sorts descending on request', async () => {
    const path = '/v2/aggs/ticker/X:BTCUSD/range/15/minute/2024-01-05/2024-01-05';
    const asc = (await get(path)).json.results;
    const desc = (await get(`${path}?sort=desc`)).json.results;
    expect(desc).toEqual([...asc].reverse());
  });

  it('answers unadjusted prices before the split when adjusted=false', async () => {
    const before = FAKE_SPLIT_AT - 30 * 86_400_000;
    const path = `/v2/aggs/ticker/AAPL/range/1/day/${before}/${before + 5 * 86_400_000}`;
    const adjusted = (await get(path)).json;
    const raw = (await get(`${path}?adjusted=false`)).json;
    expect(raw.adjusted).toBe(false);
    expect(raw.results[0].c).toBeCloseTo(adjusted.results[0].c * 4, 6);
    expect(raw.results[0].v).toBeCloseTo(adjusted.results[0].v / 4, 6);
  });

  it('publishes a minute bar only after its minute is over', async () => {
    const now = Date.UTC(2024, 0, 5, 15, 30, 20);
    const live = await FakePolygonServer.start({ apiKey: KEY, now: () => now });
    try {
      const answer = await get(`/v2/aggs/ticker/X:BTCUSD/range/1/minute/${now - 3_600_000}/${now + 3_600_000}`, KEY, live);
      const last = answer.json.results[answer.json.results.length - 1];
      expect(last.t).toBe(Date.UTC(2024, 0, 5, 15, 29));
    } finally {
      await live.stop();
    }
  });

  it('re-publishes revised bars with a different close and volume', async () => {
    const path = '/v2/aggs/ticker/X:ETHUSD/range/1/minute/2024-01-05/2024-01-05?limit=50000';
    const before = (await get(path)).json.results;
    fake.market.revise('X:ETHUSD', before[10].t, before[12].t);
    const after = (await get(path)).json.results;
    const changed = after.map((b, i) => (JSON.stringify(b) === JSON.stringify(before[i]) ? -1 : i)).filter((i) => i >= 0);
    expect(changed).toEqual([10, 11]);
    expect(after[10].c).not.toBe(before[10].c);
    expect(after[10].h).toBeGreaterThanOrEqual(after[10].c);
  });
});

describe('FakePolygonServer paging', () => {
  it('counts BASE aggregates in `limit`: an hour request with limit 100 reads at most 100 minute bars', async () => {
    const answer = await get('/v2/aggs/ticker/X:BTCUSD/range/1/hour/2024-01-05/2024-01-05?limit=100');
    expect(answer.json.queryCount).toBeLessThanOrEqual(100);
    expect(answer.json.resultsCount).toBe(1);
    expect(answer.json.next_url).toBeDefined();
  });

  it('pages with a cursor next_url on the public host, without the key, from the next bar', async () => {
    const first = await get(`/v2/aggs/ticker/SPY/range/1/minute/2011-01-03/2011-01-07?limit=500&apiKey=${KEY}`, null);
    expect(first.status).toBe(200);
    const next = new URL(first.json.next_url!);
    expect(next.origin).toBe('https://api.polygon.io');
    expect(first.json.next_url).not.toContain(KEY);
    expect(next.searchParams.get('apiKey')).toBeNull();
    expect(Buffer.from(next.searchParams.get('cursor')!, 'base64url').toString()).toBe('adjusted=true&limit=500&sort=asc');
    const lastT = first.json.results[first.json.results.length - 1].t;
    expect(next.pathname).toBe(`/v2/aggs/ticker/SPY/range/1/minute/${nextBarAfter(lastT)}/2011-01-07`);

    const paged = await allPages('/v2/aggs/ticker/SPY/range/1/minute/2011-01-03/2011-01-07?limit=500');
    const whole = await get('/v2/aggs/ticker/SPY/range/1/minute/2011-01-03/2011-01-07?limit=50000');
    expect(paged.pages).toBeGreaterThan(5);
    expect(paged.bars).toEqual(whole.json.results);
    expect(fake.requests.every((r) => r.query === '' || !r.query.includes('apiKey'))).toBe(true);
  });

  it('never splits an output bar across pages', async () => {
    const paged = await allPages('/v2/aggs/ticker/X:BTCUSD/range/1/hour/2024-01-05/2024-01-06?limit=150');
    const whole = await get('/v2/aggs/ticker/X:BTCUSD/range/1/hour/2024-01-05/2024-01-06?limit=50000');
    expect(paged.bars).toEqual(whole.json.results);
  });

  it('pages descending by moving `to` back', async () => {
    const path = '/v2/aggs/ticker/X:BTCUSD/range/1/hour/2024-01-05/2024-01-06';
    const paged = await allPages(`${path}?limit=300&sort=desc`);
    expect(paged.pages).toBeGreaterThan(1);
    expect(paged.bars).toEqual([...(await get(`${path}?limit=50000`)).json.results].reverse());
  });

  it('cuts silently at the limit when told to send no next_url, with the last bar built from part of its minutes', async () => {
    const silent = await FakePolygonServer.start({ apiKey: KEY, nextUrl: false, now: () => Date.UTC(2024, 5, 1) });
    try {
      const cut = await get('/v2/aggs/ticker/X:BTCUSD/range/1/hour/2024-01-05/2024-01-05?limit=90', KEY, silent);
      expect(cut.json).toMatchObject({ queryCount: 90, resultsCount: 2 });
      expect(cut.json.next_url).toBeUndefined();
      const full = await get('/v2/aggs/ticker/X:BTCUSD/range/1/hour/2024-01-05/2024-01-05?limit=50000', KEY, silent);
      expect(cut.json.results[0]).toEqual(full.json.results[0]);
      expect(cut.json.results[1].v).toBeLessThan(full.json.results[1].v);
    } finally {
      await silent.stop();
    }
  });

  it('caps `limit` at maxLimit', async () => {
    const small = await FakePolygonServer.start({ apiKey: KEY, maxLimit: 100, now: () => Date.UTC(2024, 5, 1) });
    try {
      const answer = await get('/v2/aggs/ticker/X:BTCUSD/range/1/minute/2024-01-05/2024-01-05?limit=50000', KEY, small);
      expect(answer.json.resultsCount).toBe(100);
      expect(Buffer.from(new URL(answer.json.next_url!).searchParams.get('cursor')!, 'base64url').toString()).toContain('limit=100');
    } finally {
      await small.stop();
    }
  });
});

describe('FakePolygonServer errors and limits', () => {
  it('wants the key: 401 without one, the 403 NOT_AUTHORIZED body for a wrong one', async () => {
    const path = '/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05';
    const missing = await get(path, null);
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ status: 'ERROR', request_id: expect.any(String), error: 'API Key was not provided' });
    const wrong = await get(path, 'not-the-key');
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({
      status: 'NOT_AUTHORIZED',
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      message: 'You are not entitled to this data. Please upgrade your plan at https://massive.com/pricing',
    });
    expect((await get(`${path}?apiKey=${KEY}`, null)).status).toBe(200);
  });

  it('answers unknown routes with the 404 body', async () => {
    const answer = await get('/v3/reference/tickers');
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ status: 'NOT FOUND', request_id: expect.any(String), error: 'resource not found' });
  });

  it('answers 400 for a time it cannot read', async () => {
    const answer = await get('/v2/aggs/ticker/AAPL/range/1/day/yesterday/2024-01-05');
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/from/);
  });

  it('enforces its own rate limit with the 429 body and optional Retry-After', async () => {
    const limited = await FakePolygonServer.start({ apiKey: KEY, rateLimit: { requests: 3 }, retryAfterSeconds: 7 });
    try {
      const path = '/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-05';
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await get(path, KEY, limited)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const answer = await get(path, KEY, limited);
      expect(answer.headers['retry-after']).toBe('7');
      expect(answer.json).toEqual({
        status: 'ERROR',
        request_id: expect.any(String),
        error: "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue.",
      });
      expect(limited.countStatus(429)).toBe(3);
      expect(limited.requestCount).toBe(6);
    } finally {
      await limited.stop();
    }
  });
});

describe('FakePolygonServer faults', () => {
  const path = '/v2/aggs/ticker/X:BTCUSD/range/1/hour/2024-01-05/2024-01-05';

  it.each([
    ['rate-limit', 429, /exceeded the maximum requests/],
    ['server-error', 500, /Internal server error/],
    ['bad-gateway', 502, /502 Bad Gateway/],
    ['not-authorized', 403, /NOT_AUTHORIZED/],
    ['not-found', 404, /NOT FOUND/],
    ['garbage', 200, /<!DOCTYPE html>/],
  ] as const)('%s answers %i', async (fault, status, body) => {
    fake.faults.enqueue(fault);
    const answer = await get(path);
    expect(answer.status).toBe(status);
    expect(answer.text).toMatch(body);
    expect((await get(path)).status).toBe(200); // one request each
  });

  it('truncated-json sends half the real body', async () => {
    const whole = await get(path);
    fake.faults.enqueue('truncated-json');
    const cut = await get(path);
    expect(cut.status).toBe(200);
    expect(cut.json).toBeUndefined();
    expect(whole.text.startsWith(cut.text.slice(0, 40))).toBe(true);
  });

  it('ohlc-violation sends one bar with its high below its low', async () => {
    fake.faults.enqueue('ohlc-violation');
    const bars = (await get(path)).json.results;
    expect(bars.filter((b) => b.h < b.l)).toHaveLength(1);
  });

  it('cut sends the first half of the results without next_url', async () => {
    const whole = (await get(path)).json;
    fake.faults.enqueue('cut');
    const cut = (await get(path)).json;
    expect(cut.results).toEqual(whole.results.slice(0, 12));
    expect(cut.next_url).toBeUndefined();
  });

  it('reset drops the connection; hang never answers', async () => {
    fake.faults.enqueue('reset');
    await expect(get(path)).rejects.toThrow();
    fake.faults.enqueue('hang');
    const outcome = await new Promise<string>((resolve) => {
      const request = httpRequest(fake.url + path, { headers: { Authorization: `Bearer ${KEY}` } }, () => resolve('answered'));
      request.setTimeout(300, () => {
        request.destroy();
        resolve('no answer');
      });
      request.on('error', () => undefined);
      request.end();
    });
    expect(outcome).toBe('no answer');
    expect(fake.requests.map((r) => r.fault)).toEqual(['reset', 'hang']);
  });

  it('faults a seeded share of requests at random', async () => {
    fake.faults.randomly({ rate: 0.5, kinds: ['server-error'], seed: 7 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await get(path)).status);
    const faulted = statuses.filter((s) => s === 500).length;
    expect(faulted).toBeGreaterThan(10);
    expect(faulted).toBeLessThan(30);
    fake.reset();
    fake.faults.randomly({ rate: 0.5, kinds: ['server-error'], seed: 7 });
    const again: number[] = [];
    for (let i = 0; i < 40; i++) again.push((await get(path)).status);
    expect(again).toEqual(statuses);
  });
});

/** The start of the minute after `t`, where the next page of minute bars begins. */
function nextBarAfter(t: number): number {
  const fixture = spyMinuteBars();
  const index = fixture.findIndex((b) => b.t === t);
  return index >= 0 && index + 1 < fixture.length ? fixture[index + 1].t : t + 60_000;
}
