import request from 'supertest';
import { type Candle, CLOCK } from '@app/core';
import { CandleRepository } from '@app/market-data';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { BarBody, barsAt, sessionMinutes } from './candles-fixtures';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The pinned "now": Wednesday 2024-01-03 15:07:30 UTC. */
const NOW = Date.UTC(2024, 0, 3, 15, 7, 30);
/** The 2024-01-02 extended session, 04:00-20:00 New York, is 09:00-01:00 UTC. */
const DAY_START = Date.UTC(2024, 0, 2, 9);
const DAY_END = Date.UTC(2024, 0, 3, 1);
const CANDLES = '/api/v1/asset/AAPL/candles';

function sameNumbers(body: BarBody, bar: Candle): boolean {
  return (
    body.time === new Date(bar.time).toISOString() &&
    (['open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'] as const).every((key) => Object.is(body[key], bar[key]))
  );
}

describe.each(ENGINES)('GET /api/v1/asset/{symbol}/candles on %s', (engine) => {
  let t: TestApp;
  let now = NOW;
  /** One extended session of 1m bars on 2024-01-02 (960 bars, full-precision doubles). */
  let session: Candle[];
  const get = (path: string) => request(t.server).get(path);

  beforeAll(async () => {
    t = await createTestApp(engine, {
      customize: (builder) => builder.overrideProvider(CLOCK).useValue({ now: () => now }),
    });
    session = barsAt('AAPL', '1m', sessionMinutes(DAY_START, 960), 11);
    const aroundNow = barsAt('AAPL', '1m', [NOW - 90_000, NOW - 30_000], 12); // 15:06 (ended) and 15:07 (open)
    const days = barsAt('AAPL', '1d', [Date.UTC(2024, 0, 2, 5), Date.UTC(2024, 0, 3, 5)], 13); // New York midnights
    await t.app
      .get(CandleRepository)
      .upsertMany([...session, ...aroundNow, ...days, ...barsAt('MSFT', '1m', sessionMinutes(DAY_START, 50), 14)]);
  });

  afterAll(() => t.close());

  beforeEach(() => {
    now = NOW;
  });

  it('serves 1m bars written through the repository bit for bit, in order, with the range echoed', async () => {
    const response = await get(`${CANDLES}?timeframe=1m&start=2024-01-02T09:00:00Z&end=2024-01-03T01:00:00Z&limit=1000`).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({
      symbol: 'AAPL',
      timeframe: '1m',
      start: '2024-01-02T09:00:00.000Z',
      end: '2024-01-03T01:00:00.000Z',
      nextCursor: null,
    });
    const bars = response.body.bars as BarBody[];
    expect(bars).toHaveLength(session.length);
    expect(bars.filter((bar, i) => !sameNumbers(bar, session[i]))).toEqual([]);
    expect(bars.every((bar) => bar.isComplete)).toBe(true);
    expect(bars.some((bar) => bar.vwap === null) && bars.some((bar) => bar.trades === null)).toBe(true);
    expect(Object.keys(bars[0]).sort()).toEqual(['close', 'high', 'isComplete', 'low', 'open', 'time', 'trades', 'volume', 'vwap']);
  });

  it('serves the same bars as CSV, numbers parsing back to the same doubles', async () => {
    const response = await get(`${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=1000&format=csv`).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('inline; filename="AAPL-1m.csv"');
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,open,high,low,close,volume,vwap,trades,isComplete');
    expect(lines).toHaveLength(session.length + 1);
    const parsed = lines.slice(1).map((line) => {
      const [time, open, high, low, close, volume, vwap, trades, isComplete] = line.split(',');
      const num = (cell: string) => (cell === '' ? null : Number(cell));
      return {
        time,
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
        vwap: num(vwap),
        trades: num(trades),
        isComplete: isComplete === 'true',
      };
    });
    expect(parsed.filter((bar, i) => !sameNumbers(bar, session[i]) || !bar.isComplete)).toEqual([]);
  });

  it('normalises the symbol and accepts ISO-8601 with offsets and Unix milliseconds alike', async () => {
    const iso = await get(`${CANDLES}?timeframe=1m&start=2024-01-02T09:00:00Z&end=2024-01-02T10:00:00Z`).expect(200);
    const variants = [
      `/api/v1/asset/aapl/candles?timeframe=1m&start=${Date.UTC(2024, 0, 2, 9)}&end=${Date.UTC(2024, 0, 2, 10)}`,
      `/api/v1/asset/Aapl/candles?timeframe=1m&start=2024-01-02T04:00:00-05:00&end=2024-01-02T05:00:00.000-0500`,
      `/api/v1/asset/AAPL/candles?timeframe=1m&start=2024-01-02T10:00%2B01:00&end=2024-01-02T10:00:00.000Z`,
    ];
    expect(iso.body.bars).toHaveLength(60);
    for (const url of variants) expect((await get(url).expect(200)).body).toEqual(iso.body);
  });

  it('includes start and excludes end', async () => {
    const first = session[100].time;
    const response = await get(`${CANDLES}?timeframe=1m&start=${first}&end=${session[103].time}`).expect(200);
    expect(response.body.bars.map((bar: BarBody) => Date.parse(bar.time))).toEqual([first, session[101].time, session[102].time]);
  });

  it('sorts newest first with sort=desc', async () => {
    const response = await get(`${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&sort=desc&limit=5`).expect(200);
    expect(response.body.bars.map((bar: BarBody) => Date.parse(bar.time))).toEqual(
      session
        .slice(-5)
        .reverse()
        .map((bar) => bar.time),
    );
  });

  it('marks bars whose window has not ended as incomplete', async () => {
    const minutes = await get(`${CANDLES}?timeframe=1m&start=${NOW - 10 * MINUTE}`).expect(200);
    expect(minutes.body.bars.map((bar: BarBody) => [bar.time, bar.isComplete])).toEqual([
      ['2024-01-03T15:06:00.000Z', true],
      ['2024-01-03T15:07:00.000Z', false],
    ]);
    const days = await get(`${CANDLES}?timeframe=1d&start=2024-01-01`).expect(200);
    expect(days.body.bars.map((bar: BarBody) => [bar.time, bar.isComplete])).toEqual([
      ['2024-01-02T05:00:00.000Z', true],
      ['2024-01-03T05:00:00.000Z', false],
    ]);
    now = NOW + 60_000; // the 15:07 minute has ended
    const later = await get(`${CANDLES}?timeframe=1m&start=${NOW - 10 * MINUTE}`).expect(200);
    expect(later.body.bars.map((bar: BarBody) => bar.isComplete)).toEqual([true, true]);
  });

  it('defaults to 1h, end = now and a lookback that suits the timeframe', async () => {
    const plain = await get(CANDLES).expect(200);
    // No 1h bars are stored, so the default source (auto) derives them from the stored 1m bars.
    expect(plain.body).toMatchObject({
      timeframe: '1h',
      source: 'derived',
      end: new Date(NOW).toISOString(),
      start: new Date(NOW - 90 * DAY).toISOString(),
    });
    const minutes = await get(`${CANDLES}?timeframe=1m`).expect(200);
    expect(minutes.body).toMatchObject({ start: new Date(NOW - DAY).toISOString(), end: new Date(NOW).toISOString() });
    expect(minutes.body.bars).toHaveLength(2 + session.filter((bar) => bar.time >= NOW - DAY).length);
    const endOnly = await get(`${CANDLES}?timeframe=1d&end=2024-01-03`).expect(200);
    expect(endOnly.body).toMatchObject({
      start: new Date(Date.UTC(2024, 0, 3) - 5 * 365 * DAY).toISOString(),
      end: '2024-01-03T00:00:00.000Z',
    });
  });

  it('answers an empty page for a symbol without bars', async () => {
    const response = await get('/api/v1/asset/X:BTCUSD/candles?timeframe=1m&start=2024-01-02').expect(200);
    expect(response.body).toMatchObject({ symbol: 'X:BTCUSD', bars: [], nextCursor: null });
  });

  describe('paging', () => {
    async function walk(query: string): Promise<{ times: number[]; pages: number; cursors: (string | null)[] }> {
      const times: number[] = [];
      const cursors: (string | null)[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `${CANDLES}?${query}${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await get(url).expect(200);
        const next: string | null = response.body.nextCursor;
        if (next) {
          expect(response.headers['x-next-cursor']).toBe(next);
          expect(response.headers.link).toBe(`<${CANDLES}?${query}&cursor=${next}>; rel="next"`);
        } else {
          expect(response.headers['x-next-cursor']).toBeUndefined();
        }
        times.push(...response.body.bars.map((bar: BarBody) => Date.parse(bar.time)));
        cursors.push(next);
        cursor = next;
      } while (cursor);
      return { times, pages: cursors.length, cursors };
    }

    it('walks every bar exactly once, oldest first, every partial page carrying a cursor', async () => {
      const { times, pages } = await walk(`timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=100`);
      expect(pages).toBe(10);
      expect(times).toEqual(session.map((bar) => bar.time));
    });

    it('walks newest first as well', async () => {
      const { times, pages } = await walk(`timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=250&sort=desc`);
      expect(pages).toBe(4);
      expect(times).toEqual(session.map((bar) => bar.time).reverse());
    });

    it('gives no cursor when the page holds exactly the rest, and one when a single bar is left', async () => {
      const whole = await get(`${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=960`).expect(200);
      expect(whole.body.nextCursor).toBeNull();
      const almost = await get(`${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=959`).expect(200);
      expect(almost.body.nextCursor).toEqual(expect.any(String));
      const rest = await get(`${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=959&cursor=${almost.body.nextCursor}`).expect(
        200,
      );
      expect(rest.body.bars.map((bar: BarBody) => Date.parse(bar.time))).toEqual([session[959].time]);
      expect(rest.body.nextCursor).toBeNull();
    });

    it('keeps the window of the first page while "now" moves on, and lets limit and format change', async () => {
      now = Date.UTC(2024, 0, 2, 12);
      const first = await get(`${CANDLES}?timeframe=1m&limit=100`).expect(200);
      const servedBefore = session.filter((bar) => bar.time < now && bar.time >= now - DAY);
      expect(servedBefore).toHaveLength(180); // 09:00-12:00
      expect(first.body.bars).toHaveLength(100);
      now += 6 * 3_600_000;
      const second = await get(`${CANDLES}?timeframe=1m&limit=1000&format=csv&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.headers['x-next-cursor']).toBeUndefined();
      const secondTimes = second.text
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((line) => Date.parse(line.split(',')[0]));
      expect([...first.body.bars.map((bar: BarBody) => Date.parse(bar.time)), ...secondTimes]).toEqual(servedBefore.map((bar) => bar.time));
    });

    it('puts the cursor of a partial CSV page in X-Next-Cursor and Link', async () => {
      const response = await get(`${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=10&format=csv`).expect(200);
      const cursor = response.headers['x-next-cursor'];
      expect(cursor).toEqual(expect.any(String));
      expect(response.headers.link).toBe(
        `<${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=10&format=csv&cursor=${cursor}>; rel="next"`,
      );
      expect(response.text.trimEnd().split('\r\n')).toHaveLength(11);
    });

    it('rejects a cursor used with another query, and one it did not issue', async () => {
      const first = await get(`${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&limit=10`).expect(200);
      const cursor: string = first.body.nextCursor;
      const others = [
        `/api/v1/asset/MSFT/candles?timeframe=1m&start=${DAY_START}&end=${DAY_END}&cursor=${cursor}`,
        `${CANDLES}?timeframe=5m&start=${DAY_START}&end=${DAY_END}&cursor=${cursor}`,
        `${CANDLES}?timeframe=1m&start=${DAY_START + MINUTE}&end=${DAY_END}&cursor=${cursor}`,
        `${CANDLES}?timeframe=1m&start=${DAY_START}&cursor=${cursor}`,
        `${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&sort=desc&cursor=${cursor}`,
      ];
      for (const url of others) {
        const response = await get(url).expect(400);
        expect(response.body.details).toEqual([{ field: 'cursor', reason: expect.stringContaining('belongs to a different query') }]);
      }
      // The same instant written differently is the same query.
      await get(`${CANDLES}?timeframe=1m&start=2024-01-02T04:00:00-05:00&end=2024-01-03T01:00Z&limit=10&cursor=${cursor}`).expect(200);
      for (const bad of ['nonsense', Buffer.from('[1,"x",1,2]').toString('base64url'), `${cursor}x`, 'a'.repeat(600)]) {
        const response = await get(`${CANDLES}?timeframe=1m&start=${DAY_START}&end=${DAY_END}&cursor=${bad}`).expect(400);
        expect(response.body.details[0].field).toBe('cursor');
      }
    });
  });

  describe('bad input', () => {
    async function expect400(query: string, field: string, reason: RegExp | string): Promise<void> {
      const response = await get(`${CANDLES}?${query}`).expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining(`${field}: `),
        details: [{ field, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) }],
        requestId: response.headers['x-request-id'],
      });
    }

    it('names a timeframe that is not allowed and lists the allowed ones', async () => {
      await expect400('timeframe=2h', 'timeframe', '"2h" is not a supported timeframe; use one of 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w');
      await expect400('timeframe=1H', 'timeframe', /"1H" is not a supported timeframe; use one of 1m, 5m/);
      await expect400('timeframe=1m&timeframe=1h', 'timeframe', 'must be a string');
    });

    it('rejects start not before end, including the default end', async () => {
      await expect400('start=2024-01-02&end=2024-01-02', 'start', /^must be before end \(2024-01-02T00:00:00.000Z\)/);
      await expect400('start=2024-01-03&end=2024-01-02', 'start', /^must be before end/);
      await expect400(`start=${NOW + 1}`, 'start', /^must be before end, which defaults to now \(2024-01-03T15:07:30.000Z\)/);
    });

    it('rejects malformed and impossible dates', async () => {
      for (const value of [
        'yesterday',
        '2024-13-01',
        '2024-02-30',
        '2024-01-02T25:00:00Z',
        '2024-01-02T10:00:00+25:00',
        '1.7e12',
        '-5',
        '',
        '2024/01/02',
      ]) {
        await expect400(
          `start=${encodeURIComponent(value)}`,
          'start',
          /^must be an ISO-8601 date or date-time .* or Unix milliseconds, got /,
        );
      }
      await expect400('end=2024-01-02T10:00:00ZZ', 'end', /^must be an ISO-8601/);
    });

    it('rejects a limit out of range or not an integer', async () => {
      await expect400('limit=0', 'limit', 'must not be less than 1');
      await expect400('limit=-3', 'limit', 'must not be less than 1');
      await expect400('limit=50001', 'limit', 'must not be greater than 50000');
      await expect400('limit=2.5', 'limit', 'must be an integer number');
      await expect400('limit=ten', 'limit', 'must be an integer number');
    });

    it('rejects unknown parameters and values outside the enums', async () => {
      await expect400('symbol=MSFT', 'symbol', 'property symbol should not exist');
      await expect400('timeframe=1m&apikey=secret', 'apikey', 'property apikey should not exist');
      await expect400('sort=newest', 'sort', 'must be one of the following values: asc, desc');
      await expect400('format=xml', 'format', 'must be one of the following values: json, csv');
    });

    it('rejects a symbol that is not a ticker', async () => {
      for (const symbol of ['AA%20PL', 'TOOLONGTICKER1', 'X:', 'C:EURUS', '1ABC', 'BRK..B', 'Q:ABC']) {
        const response = await get(`/api/v1/asset/${symbol}/candles`).expect(400);
        expect(response.body.details).toEqual([
          { field: 'symbol', reason: expect.stringMatching(/^must be a ticker like AAPL, BRK.B, X:BTCUSD/) },
        ]);
      }
    });

    it('accepts every ticker form the provider uses', async () => {
      for (const symbol of ['BRK.B', 'x:btcusd', 'C:EURUSD', 'I:SPX', 'I:VIX1D', 'F']) {
        const response = await get(`/api/v1/asset/${encodeURIComponent(symbol)}/candles`).expect(200);
        expect(response.body.symbol).toBe(symbol.toUpperCase());
      }
    });

    it('answers unknown routes with 404 in the same shape, without stack traces', async () => {
      const response = await get('/api/v1/asset/AAPL/candle').expect(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'Cannot GET /api/v1/asset/AAPL/candle',
        requestId: expect.any(String),
      });
      const bad = await get(`${CANDLES}?start=nope`).expect(400);
      expect(JSON.stringify(bad.body)).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules/);
    });
  });
});
