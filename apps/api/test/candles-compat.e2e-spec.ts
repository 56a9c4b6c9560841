import request from 'supertest';
import type { TimeframeValue } from '@app/core';
import { CandleRepository } from '@app/market-data';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { barsAt, bucketStarts, sessionMinutes } from './candles-fixtures';

const YEAR_START = Date.UTC(2023, 0, 3);

/**
 * A year of 1m bars: every extended-session minute from 2023-01-03 on PostgreSQL (250k). The
 * in-process TimescaleDB writes slowly, so there the year is covered more thinly (the
 * first 4 hours of each session, 60k bars), still landing in every chunk the older bars use.
 */
const MINUTES: Record<string, { count: number; perDay: number }> = {
  postgresql: { count: 250_000, perDay: Infinity },
  timescaledb: { count: 60_000, perDay: 240 },
};

/** Native bars of the older timeframes, as a deployment had them before 1m was tracked. */
const NATIVE: [TimeframeValue, number][] = [
  ['5m', 2_000],
  ['15m', 1_500],
  ['1h', 6_000],
  ['1d', 260],
];

/** The requests a client of the older timeframes makes: whole ranges, pages, newest first, CSV. */
function requestsFor(timeframe: TimeframeValue, first: number, last: number): string[] {
  const base = `/api/v1/asset/SPY/candles?timeframe=${timeframe}`;
  const range = `start=${new Date(first).toISOString()}&end=${last + 1}`;
  return [
    `${base}&${range}`,
    `${base}&${range}&limit=100`,
    `${base}&${range}&limit=50&sort=desc`,
    `${base}&${range}&format=csv`,
    `/api/v1/asset/spy/candles?timeframe=${timeframe}&start=${first + 1}&end=${new Date(last).toISOString()}`,
  ];
}

describe.each(ENGINES)('older timeframes are unchanged by a year of 1m bars on %s', (engine) => {
  let t: TestApp;
  let repository: CandleRepository;
  const urls: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine);
    repository = t.app.get(CandleRepository);
    for (const [i, [timeframe, count]] of NATIVE.entries()) {
      const times = bucketStarts(timeframe, YEAR_START, count);
      await repository.upsertMany(barsAt('SPY', timeframe, times, 100 + i));
      urls.push(...requestsFor(timeframe, times[0], times[times.length - 1]));
    }
  });

  afterAll(() => t.close());

  /** Every request's status, content type, cursor headers and exact body text; and every next page too. */
  async function answers(): Promise<string[]> {
    const out: string[] = [];
    for (const url of urls) {
      let next: string | undefined = url;
      for (let page = 0; next && page < 3; page++) {
        const response: request.Response = await request(t.server).get(next).expect(200);
        out.push(`${url} #${page}\n${response.headers['content-type']}\n${response.headers['x-next-cursor'] ?? ''}\n${response.text}`);
        const cursor: string | undefined = response.headers['x-next-cursor'];
        next = cursor ? `${url}&cursor=${cursor}` : undefined;
      }
    }
    return out;
  }

  it('answers the same 5m, 15m, 1h and 1d requests with identical bodies before and after', async () => {
    const before = await answers();
    expect(before.length).toBeGreaterThan(urls.length); // paged requests really paged
    expect(before.every((answer) => !answer.includes('"bars":[]'))).toBe(true);
    // Native bars cover every range, so source=auto (the default) serves them, before and after.
    const json = before.filter((answer) => answer.includes('application/json'));
    expect(json.length).toBeGreaterThan(0);
    expect(json.every((answer) => answer.includes('"source":"native"'))).toBe(true);

    const { count, perDay } = MINUTES[engine];
    const times = sessionMinutes(YEAR_START, count, perDay);
    expect(times[times.length - 1] - times[0]).toBeGreaterThan(360 * 86_400_000);
    expect(await repository.upsertMany(barsAt('SPY', '1m', times, 7))).toBe(count);
    expect(await repository.count('SPY', '1m', YEAR_START, Date.UTC(2025, 0))).toBe(count);

    const after = await answers();
    expect(after).toEqual(before);
  });
});
