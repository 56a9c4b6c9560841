import request from 'supertest';
import { type Candle, CLOCK } from '@app/core';
import { EnrichmentScheduler } from '@app/enrichment';
import { CandleRepository, DerivedCandleService } from '@app/market-data';
import { ENGINES, TestApp } from '@app/testing';
import { batch } from './support/batch-indicators';
import { createTestApp } from './support/test-app';
import { barsAt, sessionMinutes } from './candles-fixtures';

/** Pinned "now", well after the stored bars: every bar is complete. */
const NOW = Date.UTC(2024, 0, 12, 12);
const FIRST_MINUTE = Date.UTC(2024, 0, 2, 9);
const MINUTES = 2_400;
const DEFAULTS = ['sma:20', 'ema:20', 'rsi:14', 'macd:12:26:9', 'bbands:20:2'];
const iso = (ms: number) => new Date(ms).toISOString();

type Value = number | null | Record<string, number | null>;
interface ServedBar {
  time: string;
  values: Record<string, Value>;
}

describe.each(ENGINES)('enrichment on %s', (engine) => {
  let t: TestApp;
  let minutes: Candle[];
  const get = (path: string) => request(t.server).get(path);
  const scheduler = () => t.app.get(EnrichmentScheduler);

  /** Writes bars the way ingestion does: the bars, then the derived timeframes' refresh and marks. */
  async function write(bars: readonly Candle[]): Promise<void> {
    await t.app.get(CandleRepository).upsertMany(bars);
    const times = bars.map((bar) => bar.time);
    await t.app.get(DerivedCandleService).refreshAfterWrite('AAPL', Math.min(...times), Math.max(...times) + 60_000, NOW);
  }

  async function stored(timeframe: string, keys: readonly string[], from: number, to: number, sort = 'asc'): Promise<ServedBar[]> {
    const response = await get(
      `/api/v1/asset/AAPL/indicators?timeframe=${timeframe}&indicators=${keys.join(',')}&start=${iso(from)}&end=${iso(to)}&limit=50000&sort=${sort}`,
    ).expect(200);
    expect(response.headers['x-indicator-source']).toBe('stored');
    return response.body.bars as ServedBar[];
  }

  beforeAll(async () => {
    t = await createTestApp(engine, {
      env: { ENRICHMENT_ENABLED: 'true', ENRICHMENT_INTERVAL: '1h' },
      customize: (builder) => builder.overrideProvider(CLOCK).useValue({ now: () => NOW }),
    });
    await request(t.server)
      .post('/api/v1/symbols')
      .send({ symbol: 'AAPL', timeframes: ['1m', '5m', '1h'] })
      .expect(201);
    minutes = barsAt('AAPL', '1m', sessionMinutes(FIRST_MINUTE, MINUTES), 7);
    await write(minutes);
    await scheduler().idle();
  });

  afterAll(() => t.close());

  it('keeps the default indicators of every tracked timeframe, 1m and derived ones included, caught up', async () => {
    const response = await get('/api/v1/enrichment/jobs?symbol=AAPL').expect(200);
    expect(response.body.enabled).toBe(true);
    const series = response.body.series as { timeframe: string; lagSeconds: number; missing: string[]; pendingFrom: string | null }[];
    expect(series.map((s) => s.timeframe)).toEqual(['1m', '5m', '1h']);
    for (const one of series)
      expect(one).toMatchObject({ lagSeconds: 0, missing: [], pendingFrom: null, source: one.timeframe === '1m' ? 'native' : 'derived' });
    expect(series[0]).toMatchObject({ computedThrough: iso(minutes[MINUTES - 1].time), newestBar: iso(minutes[MINUTES - 1].time) });
  });

  it('serves stored 1m values equal, bit for bit, to the batch computation over the whole history', async () => {
    const bars = await stored('1m', DEFAULTS, minutes[1_000].time, minutes[1_600].time);
    expect(bars).toHaveLength(600);
    for (const key of DEFAULTS) expect(bars.map((bar) => bar.values[key])).toEqual(batch(key, minutes).slice(1_000, 1_600));
  });

  it('serves stored values of a derived timeframe equal to the batch over the derived bars /candles serves', async () => {
    const candles = await get(`/api/v1/asset/AAPL/candles?timeframe=5m&start=${iso(minutes[0].time)}&limit=50000`).expect(200);
    const fiveMinutes = (candles.body.bars as { time: string; high: number; low: number; close: number; volume: number }[]).map((bar) => ({
      ...bar,
      time: Date.parse(bar.time),
    }));
    const bars = await stored('5m', DEFAULTS, fiveMinutes[0].time, fiveMinutes[fiveMinutes.length - 1].time + 300_000);
    expect(bars.map((bar) => Date.parse(bar.time))).toEqual(fiveMinutes.map((bar) => bar.time));
    for (const key of DEFAULTS) expect(bars.map((bar) => bar.values[key])).toEqual(batch(key, fiveMinutes));
  });

  it('computes on the fly what the symbol does not keep, and says which value came from where', async () => {
    const response = await get(
      `/api/v1/asset/AAPL/indicators?timeframe=1m&indicators=sma:20,wma:10&start=${iso(minutes[500].time)}&end=${iso(minutes[600].time)}`,
    ).expect(200);
    expect(response.headers['x-indicator-source']).toBe('mixed');
    expect(response.body.origins).toEqual({ 'sma:20': 'stored', 'wma:10': 'computed' });
    expect(response.body.bars.map((bar: ServedBar) => bar.values['wma:10'])).toEqual(batch('wma:10', minutes).slice(500, 600));
  });

  it('refuses an indicator it neither keeps nor can warm up per request, naming the field and the way out', async () => {
    const response = await get(`/api/v1/asset/AAPL/indicators?timeframe=1m&indicators=ema:9000`).expect(400);
    expect(response.body.details).toEqual([
      {
        field: 'indicators',
        reason: expect.stringMatching(
          /^ema:9000 is not kept for AAPL 1m and needs 90000 bars of warm-up .*PUT \/api\/v1\/symbol\/AAPL\/indicators/,
        ),
      },
    ]);
  });

  it('candles?indicators= adds the same values to each bar, in JSON and in CSV', async () => {
    const window = `start=${iso(minutes[900].time)}&end=${iso(minutes[960].time)}`;
    const keys = 'sma:20,macd:12:26:9,wma:5';
    const values = await get(`/api/v1/asset/AAPL/indicators?timeframe=1m&indicators=${keys}&${window}`).expect(200);
    const candles = await get(`/api/v1/asset/AAPL/candles?timeframe=1m&indicators=${keys}&${window}`).expect(200);
    expect(candles.headers['x-indicator-source']).toBe('mixed');
    expect(candles.body.bars.map((bar: { close: number }) => bar.close)).toEqual(minutes.slice(900, 960).map((bar) => bar.close));
    expect(candles.body.bars.map((bar: { indicators: object }) => bar.indicators)).toEqual(
      values.body.bars.map((bar: ServedBar) => bar.values),
    );
    const csv = await get(`/api/v1/asset/AAPL/candles?timeframe=1m&indicators=${keys}&${window}&format=csv`).expect(200);
    const [header, first] = csv.text.split('\r\n');
    expect(header).toBe(
      'time,open,high,low,close,volume,vwap,trades,isComplete,sma:20,macd:12:26:9.macd,macd:12:26:9.signal,macd:12:26:9.histogram,wma:5',
    );
    const cells = first.split(',');
    const [sma, macd, wma] = ['sma:20', 'macd:12:26:9', 'wma:5'].map((key) => batch(key, minutes)[900]);
    const m = macd as Record<string, number>;
    expect(cells.slice(9).map(Number)).toEqual([sma, m.macd, m.signal, m.histogram, wma]);
    await expect(get(`/api/v1/asset/AAPL/candles?timeframe=1m&indicators=sma:0&${window}`)).resolves.toMatchObject({ status: 400 });
  });

  it('indicator answers are cached with an ETag: 304 while nothing changed, a new tag once bars are written', async () => {
    const url = `/api/v1/asset/AAPL/indicators?timeframe=1m&indicators=rsi:14&start=${iso(minutes[100].time)}&end=${iso(minutes[200].time)}`;
    const first = await get(url).expect(200);
    expect(first.headers.etag).toEqual(expect.any(String));
    await get(url).set('If-None-Match', first.headers.etag).expect(304);
    await write([{ ...minutes[150], volume: minutes[150].volume + 1 }]);
    await scheduler().idle();
    const after = await get(url).set('If-None-Match', first.headers.etag).expect(200);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect(after.headers['x-indicator-source']).toBe('stored');
    minutes[150] = { ...minutes[150], volume: minutes[150].volume + 1 };
  });

  it('a revised bar changes exactly the values it affects: the next 20 SMA values, every later EMA value it still moves', async () => {
    const keys = ['sma:20', 'ema:20'];
    const before = await stored('1m', keys, minutes[0].time, minutes[MINUTES - 1].time + 60_000);
    const revisedAt = 1_800;
    const revised = minutes.map((bar, i) => (i === revisedAt ? { ...bar, close: bar.close + 5, high: bar.high + 5 } : bar));
    await write([revised[revisedAt]]);
    await scheduler().idle();
    const after = await stored('1m', keys, minutes[0].time, minutes[MINUTES - 1].time + 60_000);
    const changed = (key: string) => after.flatMap((bar, i) => (bar.values[key] === before[i].values[key] ? [] : [i]));
    // What one computation over the old and the revised bars tells apart: for the EMA, until the revision fades below a double's precision.
    const differs = (key: string) => {
      const [old, now] = [batch(key, minutes), batch(key, revised)];
      return old.flatMap((value, i) => (value === now[i] ? [] : [i]));
    };
    expect(changed('sma:20')).toEqual(Array.from({ length: 20 }, (_, i) => revisedAt + i));
    expect(changed('ema:20')).toEqual(differs('ema:20'));
    expect(differs('ema:20')).toEqual(Array.from({ length: differs('ema:20').length }, (_, i) => revisedAt + i));
    expect(differs('ema:20').length).toBeGreaterThan(200);
    for (const key of DEFAULTS) {
      const all = await stored('1m', [key], minutes[1_700].time, minutes[MINUTES - 1].time + 60_000);
      expect(all.map((bar) => bar.values[key])).toEqual(batch(key, revised).slice(1_700));
    }
    minutes = revised;
  });

  it('appended bars extend the values incrementally, as one computation over all bars would', async () => {
    const more = barsAt('AAPL', '1m', sessionMinutes(minutes[MINUTES - 1].time + 60_000, 21).slice(1), 99);
    await write(more);
    await scheduler().idle();
    const all = [...minutes, ...more];
    const bars = await stored('1m', DEFAULTS, all[MINUTES - 50].time, all[all.length - 1].time + 60_000, 'desc');
    for (const key of DEFAULTS) expect(bars.map((bar) => bar.values[key]).reverse()).toEqual(batch(key, all).slice(MINUTES - 50));
  });

  it('a new indicator list is computed for every timeframe; removed indicators and timeframes lose their values', async () => {
    await request(t.server)
      .put('/api/v1/symbol/AAPL/indicators')
      .send({ indicators: ['rsi:14', 'obv'] })
      .expect(200);
    await request(t.server)
      .put('/api/v1/symbol/AAPL/timeframes')
      .send({ timeframes: ['1m', '5m'] })
      .expect(200);
    await scheduler().catchUpNow();
    const jobs = (await get('/api/v1/enrichment/jobs?symbol=AAPL').expect(200)).body.series;
    expect(jobs.map((s: { timeframe: string }) => s.timeframe)).toEqual(['1m', '5m']);
    for (const one of jobs) expect(one.indicators.map((i: { indicator: string }) => i.indicator)).toEqual(['obv', 'rsi:14']);
    const counts = await t.database.query<{ indicator: string; timeframe: string }>(
      'SELECT DISTINCT indicator, timeframe FROM indicator_blocks ORDER BY timeframe, indicator',
    );
    expect(counts).toEqual([
      { indicator: 'obv', timeframe: '1m' },
      { indicator: 'rsi:14', timeframe: '1m' },
      { indicator: 'obv', timeframe: '5m' },
      { indicator: 'rsi:14', timeframe: '5m' },
    ]);
    const response = await get(`/api/v1/symbol/AAPL`).expect(200);
    expect(response.body).toMatchObject({ indicators: ['rsi:14', 'obv'], defaultIndicators: false });
  });

  it('purging the symbol removes every stored value', async () => {
    await request(t.server).delete('/api/v1/symbol/AAPL?purge=true').expect(200);
    await scheduler().catchUpNow();
    expect(await t.database.query('SELECT 1 FROM indicator_blocks')).toEqual([]);
    expect(await t.database.query('SELECT 1 FROM enrichment_series')).toEqual([]);
    expect(await t.database.query('SELECT 1 FROM candle_changes')).toEqual([]);
  });
});
