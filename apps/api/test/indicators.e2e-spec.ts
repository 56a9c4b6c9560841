import request from 'supertest';
import { type Candle, CLOCK } from '@app/core';
import { INDICATOR_NAMES, type IndicatorBar } from '@app/enrichment';
import { CandleRepository } from '@app/market-data';
import { ENGINES, TestApp } from '@app/testing';
import { batch } from './support/batch-indicators';
import { createTestApp } from './support/test-app';
import { barsAt, sessionMinutes } from './candles-fixtures';

/** Pinned "now", well after the stored bars: every bar is complete. */
const NOW = Date.UTC(2024, 0, 12, 12);
/** The 2024-01-02 extended session (04:00-20:00 New York) starts 09:00 UTC; 2,400 bars reach into the 4th. */
const FIRST_MINUTE = Date.UTC(2024, 0, 2, 9);
const MINUTES = 2_400;
const INDICATORS = '/api/v1/asset/AAPL/indicators';
const iso = (ms: number) => new Date(ms).toISOString();

interface ServedBar {
  time: string;
  isComplete: boolean;
  values: Record<string, number | null | Record<string, number | null>>;
}

function served(bars: readonly ServedBar[], key: string): ServedBar['values'][string][] {
  return bars.map((bar) => bar.values[key]);
}

/** Every output of every value as one flat list (nulls kept), for close comparisons. */
function flat(values: readonly ServedBar['values'][string][]): (number | null)[] {
  return values.flatMap((value) => (value === null || typeof value === 'number' ? [value] : Object.values(value)));
}

describe.each(ENGINES)('indicators over REST on %s', (engine) => {
  let t: TestApp;
  /** AAPL 1m bars, oldest first. */
  let minutes: Candle[];
  const get = (path: string) => request(t.server).get(path);
  const range = (from: number, to: number) => `start=${iso(minutes[from].time)}&end=${iso(minutes[to].time)}`;

  beforeAll(async () => {
    t = await createTestApp(engine, {
      customize: (builder) => builder.overrideProvider(CLOCK).useValue({ now: () => NOW }),
    });
    minutes = barsAt('AAPL', '1m', sessionMinutes(FIRST_MINUTE, MINUTES), 31);
    await t.app.get(CandleRepository).upsertMany(minutes);
  });

  afterAll(() => t.close());

  it('lists every indicator with its parameters, outputs and warm-up', async () => {
    const response = await get('/api/v1/indicators').expect(200);
    expect(response.body.maxPerRequest).toBe(10);
    expect(response.body.indicators.map((indicator: { name: string }) => indicator.name)).toEqual([...INDICATOR_NAMES]);
    const macd = response.body.indicators.find((indicator: { name: string }) => indicator.name === 'macd');
    expect(macd).toMatchObject({
      defaultSpec: 'macd:12:26:9',
      memory: 'series',
      parameters: [
        { name: 'fast', default: 12, min: 2, max: 10_000 },
        { name: 'slow', default: 26 },
        { name: 'signal', default: 9 },
      ],
      outputs: [{ name: 'macd' }, { name: 'signal', warmup: 'slow + signal - 2' }, { name: 'histogram' }],
    });
    await get('/api/v1/indicators?name=sma').expect(400);
  });

  it('window indicators over a 1m page equal the batch computation over the stored bars, exactly', async () => {
    const keys = ['sma:20', 'wma:10', 'bbands:20:2', 'stoch:14:3:3', 'vwap'];
    const response = await get(`${INDICATORS}?timeframe=1m&indicators=${keys.join(',')}&${range(1_500, 1_600)}`).expect(200);
    expect(response.headers['x-indicator-source']).toBe('computed');
    expect(response.headers['x-candle-source']).toBe('native');
    expect(response.body).toMatchObject({ symbol: 'AAPL', timeframe: '1m', source: 'native', indicators: keys, nextCursor: null });
    const bars = response.body.bars as ServedBar[];
    expect(bars.map((bar) => bar.time)).toEqual(minutes.slice(1_500, 1_600).map((bar) => iso(bar.time)));
    expect(bars.every((bar) => bar.isComplete)).toBe(true);
    for (const key of keys) expect(served(bars, key)).toEqual(batch(key, minutes).slice(1_500, 1_600));
  });

  it('is null before the warm-up is met at the start of the history, then the batch values', async () => {
    const keys = ['sma:20', 'rsi:14', 'macd:12:26:9', 'ema:10', 'atr:14', 'obv'];
    const response = await get(`${INDICATORS}?timeframe=1m&indicators=${keys.join(',')}&${range(0, 100)}`).expect(200);
    const bars = response.body.bars as ServedBar[];
    // The first page starts at the first stored bar: every indicator starts where the batch does.
    for (const key of keys) expect(served(bars, key)).toEqual(batch(key, minutes).slice(0, 100));
    expect(served(bars, 'sma:20').slice(0, 19)).toEqual(Array(19).fill(null));
    expect(served(bars, 'sma:20')[19]).toEqual(expect.any(Number));
    expect(served(bars, 'rsi:14').slice(0, 14)).toEqual(Array(14).fill(null));
    expect(bars[32].values['macd:12:26:9']).toEqual({ macd: expect.any(Number), signal: null, histogram: null });
    expect(bars[33].values['macd:12:26:9']).toEqual({
      macd: expect.any(Number),
      signal: expect.any(Number),
      histogram: expect.any(Number),
    });
  });

  it('series indicators start their warm-up before `start`: exact from there, and within 1e-4 of the whole history', async () => {
    const from = 1_200;
    const warmUps: Record<string, number> = { 'ema:20': 200, 'rsi:14': 140, 'macd:12:26:9': 260, 'atr:14': 140, obv: 0 };
    const keys = Object.keys(warmUps);
    const response = await get(`${INDICATORS}?timeframe=1m&indicators=${keys.join(',')}&${range(from, from + 200)}`).expect(200);
    const bars = response.body.bars as ServedBar[];
    for (const key of keys) {
      const fed = minutes.slice(from - warmUps[key]);
      expect(served(bars, key)).toEqual(batch(key, fed).slice(warmUps[key], warmUps[key] + 200));
    }
    for (const key of ['ema:20', 'rsi:14', 'macd:12:26:9', 'atr:14']) {
      const whole = flat(batch(key, minutes).slice(from, from + 200));
      flat(served(bars, key)).forEach((value, i) => expect(value).toBeCloseTo(whole[i] as number, 3));
    }
  });

  it('pages with the cursor to the same values as one big page, nothing lost or repeated, in both orders', async () => {
    const keys = 'sma:20,rsi:14,macd:12:26:9,obv,vwap,bbands:20:2';
    const query = `${INDICATORS}?timeframe=1m&indicators=${keys}&${range(700, 1_000)}`;
    for (const sort of ['asc', 'desc']) {
      const whole = (await get(`${query}&sort=${sort}&limit=1000`).expect(200)).body.bars as ServedBar[];
      expect(whole).toHaveLength(300);
      const paged: ServedBar[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const response: request.Response = await get(`${query}&sort=${sort}&limit=70${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        paged.push(...(response.body.bars as ServedBar[]));
        cursor = response.body.nextCursor;
        if (!cursor) break;
        expect(response.headers.link).toContain('rel="next"');
      }
      expect(cursor).toBeNull();
      expect(paged).toEqual(whole);
    }
  });

  it('works on a timeframe derived from 1m, over the derived bars /candles serves', async () => {
    const candles = await get(`/api/v1/asset/AAPL/candles?timeframe=1h&source=derived&start=${iso(FIRST_MINUTE)}&end=${iso(NOW)}`).expect(
      200,
    );
    const hours = (candles.body.bars as (IndicatorBar & { time: string })[]).map((bar) => ({ ...bar, time: Date.parse(bar.time) }));
    expect(hours).toHaveLength(40);
    const start = iso(hours[20].time);
    const response = await get(
      `${INDICATORS}?timeframe=1h&source=derived&indicators=sma:5,ema:3,vwap&start=${start}&end=${iso(NOW)}`,
    ).expect(200);
    expect(response.body.source).toBe('derived');
    const bars = response.body.bars as ServedBar[];
    expect(bars.map((bar) => bar.time)).toEqual(hours.slice(20).map((bar) => iso(bar.time)));
    expect(served(bars, 'sma:5')).toEqual(batch('sma:5', hours).slice(20));
    expect(served(bars, 'vwap')).toEqual(batch('vwap', hours).slice(20));
    // ema:3 warms up on 30 bars, more than the 20 before `start`: it starts at the first bar, as the batch does.
    expect(served(bars, 'ema:3')).toEqual(batch('ema:3', hours).slice(20));
  });

  it('answers CSV with one column per output, empty before the warm-up', async () => {
    const response = await get(`${INDICATORS}?timeframe=1m&indicators=sma:3,macd:2:3:2&${range(0, 5)}&format=csv`).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['x-indicator-source']).toBe('computed');
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,sma:3,macd:2:3:2.macd,macd:2:3:2.signal,macd:2:3:2.histogram,isComplete');
    expect(lines).toHaveLength(6);
    const sma = batch('sma:3', minutes)[2] as number;
    expect(lines[1]).toBe(`${iso(minutes[0].time)},,,,,true`);
    expect(lines[3].split(',')[1]).toBe(String(sma));
  });

  describe('bad input', () => {
    async function expect400(query: string, field: string, reason: RegExp | string): Promise<void> {
      const response = await get(`${INDICATORS}?${query}`).expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining(`${field}: `),
        details: [{ field, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) }],
        requestId: response.headers['x-request-id'],
      });
    }

    it('names the indicator, what is wrong and what is allowed', async () => {
      await expect400('indicators=adx:14', 'indicators', /^"adx:14": unknown indicator "adx"; known: sma, ema, wma, rsi, macd/);
      await expect400('indicators=sma:0', 'indicators', '"sma:0": window must be a whole number from 1 to 10,000, got "0"');
      await expect400('indicators=sma:10001', 'indicators', '"sma:10001": window must be a whole number from 1 to 10,000, got "10001"');
      await expect400('indicators=macd:26:12:9', 'indicators', '"macd:26:12:9": fast (26) must be less than slow (12)');
      const eleven = Array.from({ length: 11 }, (_, i) => `sma:${i + 1}`).join(',');
      await expect400(`indicators=${eleven}`, 'indicators', 'at most 10 indicators are allowed, got 11');
    });

    it('requires indicators', async () => {
      await expect400('timeframe=1m', 'indicators', /^is required: a comma-separated list such as rsi:14,sma:20/);
      await expect400('indicators=', 'indicators', /^names no indicator/);
      await expect400('indicators=sma&indicators=rsi', 'indicators', 'must be a string');
    });

    it('refuses what /candles refuses', async () => {
      await expect400('indicators=sma&timeframe=2h', 'timeframe', /^"2h" is not a supported timeframe; use one of 1m/);
      await expect400('indicators=sma&start=2024-01-03&end=2024-01-02', 'start', /^must be before end/);
      await expect400('indicators=sma&limit=0', 'limit', 'must not be less than 1');
      await expect400('indicators=sma&limit=50001', 'limit', 'must not be greater than 50000');
      await expect400('indicators=sma&timeframe=1m&source=derived', 'source', /^1m bars cannot be derived/);
      await expect400('indicators=sma&cursor=nope', 'cursor', /^is not a cursor issued by this API/);
      await expect400('indicators=sma&format=xml', 'format', 'must be one of the following values: json, csv');
      await expect400('indicators=sma&apikey=secret', 'apikey', 'property apikey should not exist');
    });
  });
});
