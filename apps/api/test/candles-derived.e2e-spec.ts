import request from 'supertest';
import { type Candle, CLOCK, Timeframe, type TimeframeValue } from '@app/core';
import { CandleRepository } from '@app/market-data';
import { syntheticMinutes, syntheticSessions } from '@app/market-data/testing';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { BarBody, barsAt, bucketStarts } from './candles-fixtures';

const HOUR = 3_600_000;
/** Pinned "now", well after the stored bars: every bucket has ended. */
const NOW = Date.UTC(2024, 0, 10, 12);
/** Extended sessions (04:00-20:00 New York = 09:00-01:00 UTC in January) of Tue 2 to Thu 4 January 2024. */
const DAYS = [2, 3, 4].map((day) => [Date.UTC(2024, 0, day, 9), Date.UTC(2024, 0, day + 1, 1)] as const);
const RANGE = `start=${new Date(DAYS[0][0]).toISOString()}&end=${new Date(DAYS[2][1]).toISOString()}`;
const CANDLES = '/api/v1/asset/AAPL/candles';

/** The rollup the API must serve, computed here from the stored 1m bars, oldest first. */
function rollUp(minutes: readonly Candle[], timeframe: TimeframeValue): BarBody[] {
  const frame = Timeframe.of(timeframe);
  const buckets = new Map<number, Candle[]>();
  for (const bar of minutes) {
    const start = frame.bucketStart(bar.time);
    buckets.set(start, [...(buckets.get(start) ?? []), bar]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([time, bars]) => {
      const priced = bars.filter((bar) => bar.vwap !== null);
      const pricedVolume = priced.reduce((sum, bar) => sum + bar.volume, 0);
      const counted = bars.filter((bar) => bar.trades !== null);
      return {
        time: new Date(time).toISOString(),
        open: bars[0].open,
        high: Math.max(...bars.map((bar) => bar.high)),
        low: Math.min(...bars.map((bar) => bar.low)),
        close: bars[bars.length - 1].close,
        volume: bars.reduce((sum, bar) => sum + bar.volume, 0),
        vwap: pricedVolume > 0 ? priced.reduce((sum, bar) => sum + (bar.vwap ?? 0) * bar.volume, 0) / pricedVolume : null,
        trades: counted.length > 0 ? counted.reduce((sum, bar) => sum + (bar.trades ?? 0), 0) : null,
        isComplete: true,
      };
    });
}

/** Exact match except vwap, whose float sums may be added in another order. */
function expectSameBars(served: BarBody[], expected: BarBody[]): void {
  const exactly = ({ vwap: _vwap, ...exact }: BarBody) => exact;
  expect(served.map(exactly)).toEqual(expected.map(exactly));
  served.forEach((bar, i) => {
    const want = expected[i].vwap;
    if (want === null) expect(bar.vwap).toBeNull();
    else expect(bar.vwap).toBeCloseTo(want, 9);
  });
}

describe.each(ENGINES)('derived candles over REST on %s', (engine) => {
  let t: TestApp;
  let minutes: Candle[];
  const get = (path: string) => request(t.server).get(path);

  beforeAll(async () => {
    t = await createTestApp(engine, {
      customize: (builder) => builder.overrideProvider(CLOCK).useValue({ now: () => NOW }),
    });
    minutes = syntheticSessions('AAPL', DAYS);
    await t.app.get(CandleRepository).upsertMany(minutes);
  });

  afterAll(() => t.close());

  it('source=derived rolls 1h bars up from the stored 1m bars', async () => {
    const response = await get(`${CANDLES}?timeframe=1h&${RANGE}&source=derived&limit=100`).expect(200);
    expect(response.headers['x-candle-source']).toBe('derived');
    expect(response.body).toMatchObject({ symbol: 'AAPL', timeframe: '1h', source: 'derived', nextCursor: null });
    const expected = rollUp(minutes, '1h');
    expect(expected).toHaveLength(48);
    expectSameBars(response.body.bars, expected);
  });

  it('source=auto derives when no native bars are stored, and says so in JSON and CSV', async () => {
    const json = await get(`${CANDLES}?timeframe=1h&${RANGE}&limit=100`).expect(200);
    expect(json.headers['x-candle-source']).toBe('derived');
    expect(json.body.source).toBe('derived');
    expectSameBars(json.body.bars, rollUp(minutes, '1h'));

    const csv = await get(`${CANDLES}?timeframe=1h&${RANGE}&limit=100&format=csv&source=auto`).expect(200);
    expect(csv.headers['x-candle-source']).toBe('derived');
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(49);
  });

  it('source=native with no stored bars of the timeframe answers an empty list', async () => {
    const response = await get(`${CANDLES}?timeframe=1h&${RANGE}&source=native`).expect(200);
    expect(response.headers['x-candle-source']).toBe('native');
    expect(response.body).toMatchObject({ source: 'native', bars: [], nextCursor: null });
  });

  it('auto switches to native once native bars cover the range; cursors do not cross sources', async () => {
    const day: readonly [number, number] = [Date.UTC(2024, 0, 2, 9), Date.UTC(2024, 0, 3, 1)];
    const range = `start=${day[0]}&end=${day[1]}`;
    await t.app.get(CandleRepository).upsertMany(syntheticMinutes('IBM', day[0], day[1]));
    const before = await get(`/api/v1/asset/IBM/candles?timeframe=1h&${range}`).expect(200);
    expect(before.body.source).toBe('derived');

    const native = barsAt('IBM', '1h', bucketStarts('1h', day[0], 16), 3);
    await t.app.get(CandleRepository).upsertMany(native);
    const after = await get(`/api/v1/asset/IBM/candles?timeframe=1h&${range}`).expect(200);
    expect(after.headers['x-candle-source']).toBe('native');
    expect(after.body.source).toBe('native');
    expect(after.body.bars.map((bar: BarBody) => [bar.time, bar.open, bar.close])).toEqual(
      native.map((bar) => [new Date(bar.time).toISOString(), bar.open, bar.close]),
    );

    const first = await get(`/api/v1/asset/IBM/candles?timeframe=1h&${range}&source=native&limit=5`).expect(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const reused = await get(`/api/v1/asset/IBM/candles?timeframe=1h&${range}&source=derived&cursor=${first.body.nextCursor}`).expect(400);
    expect(reused.body.details[0].field).toBe('cursor');
  });

  it('session=regular builds one 1d bar per trading day from 09:30-16:00 New York only', async () => {
    const response = await get(`${CANDLES}?timeframe=1d&start=2024-01-02T05:00:00Z&end=2024-01-05T05:00:00Z&session=regular`).expect(200);
    expect(response.body.source).toBe('derived');
    const regular = minutes.filter((bar) => DAYS.some(([from]) => bar.time >= from + 5.5 * HOUR && bar.time < from + 12 * HOUR));
    expect(regular).toHaveLength(3 * 390);
    expectSameBars(response.body.bars, rollUp(regular, '1d'));

    const extended = await get(`${CANDLES}?timeframe=1d&start=2024-01-02T05:00:00Z&end=2024-01-05T05:00:00Z&session=extended`).expect(200);
    expectSameBars(extended.body.bars, rollUp(minutes, '1d'));
  });

  it('pages derived bars with a cursor, without loss or repeat', async () => {
    const served: BarBody[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response: request.Response = await get(
        `${CANDLES}?timeframe=1h&${RANGE}&source=derived&limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      served.push(...(response.body.bars as BarBody[]));
      cursor = response.body.nextCursor;
      if (!cursor) break;
      expect(response.body.bars).toHaveLength(10);
    }
    expect(cursor).toBeNull();
    expectSameBars(served, rollUp(minutes, '1h'));
  });

  it('flags a derived bar whose 1m bars fall short of the calendar as incomplete', async () => {
    const missing = Date.UTC(2024, 0, 2, 15, 7); // 10:07 New York, a regular-session minute
    await t.app.get(CandleRepository).upsertMany(syntheticMinutes('MSFT', DAYS[0][0], DAYS[0][1]).filter((bar) => bar.time !== missing));
    const response = await get(`/api/v1/asset/MSFT/candles?timeframe=1h&start=${DAYS[0][0]}&end=${DAYS[0][1]}&source=derived`).expect(200);
    const incomplete = (response.body.bars as BarBody[]).filter((bar) => !bar.isComplete).map((bar) => bar.time);
    expect(incomplete).toEqual(['2024-01-02T15:00:00.000Z']);
  });

  describe('bad input', () => {
    async function expect400(query: string, field: string): Promise<void> {
      const response = await get(`${CANDLES}?${query}`).expect(400);
      expect(response.body.details).toEqual([{ field, reason: expect.any(String) }]);
      expect(response.body.message).toContain(`${field}: `);
    }

    it('refuses to derive 1m bars, naming source', async () => {
      const response = await get(`${CANDLES}?timeframe=1m&${RANGE}&source=derived`).expect(400);
      expect(response.body.details).toEqual([{ field: 'source', reason: '1m bars cannot be derived; use source=native or auto' }]);
    });

    it('names a bad source or session value', async () => {
      await expect400('timeframe=1h&source=stored', 'source');
      await expect400('timeframe=1h&session=overnight', 'session');
      await expect400('timeframe=1h&source=native&session=regular', 'session');
      await expect400('timeframe=1m&session=regular', 'session');
    });

    it('ignores session for symbols that are not US stocks', async () => {
      const response = await get(`/api/v1/asset/X:BTCUSD/candles?timeframe=1h&${RANGE}&session=regular&source=native`).expect(200);
      expect(response.body).toMatchObject({ source: 'native', bars: [] });
    });
  });
});
