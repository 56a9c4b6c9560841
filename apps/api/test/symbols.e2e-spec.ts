import request from 'supertest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { CandleRepository, TrackedSymbolsService } from '@app/market-data';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';
import { barsAt, bucketStarts } from './candles-fixtures';

const TRACKED_KEYS = ['active', 'assetClass', 'createdAt', 'defaultIndicators', 'indicators', 'symbol', 'timeframes', 'updatedAt'];
const DEFAULT_INDICATORS = ['sma:20', 'ema:20', 'rsi:14', 'macd:12:26:9', 'bbands:20:2'];

describe.each(ENGINES)('tracked symbols on %s', (engine) => {
  let t: TestApp;
  const api = () => request(t.server);

  beforeAll(async () => {
    t = await createTestApp(engine);
  });

  afterAll(() => t.close());

  async function expect400(response: request.Response, field: string, reason: string | RegExp): Promise<void> {
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining(`${field}: `),
      details: [{ field, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) }],
      requestId: expect.any(String),
    });
  }

  describe('POST /api/v1/symbols', () => {
    it('tracks a symbol in DEFAULT_TIMEFRAMES, normalised, with its asset class and a Location', async () => {
      const response = await api().post('/api/v1/symbols').send({ symbol: ' aapl ' }).expect(201);
      expect(response.headers.location).toBe('/api/v1/symbol/AAPL');
      expect(response.body).toEqual({
        symbol: 'AAPL',
        timeframes: ['1h', '1d'],
        indicators: DEFAULT_INDICATORS,
        defaultIndicators: true,
        assetClass: 'stocks',
        active: true,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: expect.any(String),
      });
      expect((await api().get('/api/v1/symbol/aapl').expect(200)).body).toEqual(response.body);
    });

    it('stores the given timeframes shortest first, and classifies crypto, forex and indices', async () => {
      const cases = [
        ['x:btcusd', ['1d', '1m', '4h'], 'X:BTCUSD', ['1m', '4h', '1d'], 'crypto'],
        ['C:EURUSD', ['1w'], 'C:EURUSD', ['1w'], 'forex'],
        ['i:spx', ['15m', '5m'], 'I:SPX', ['5m', '15m'], 'indices'],
        [
          'brk.b',
          ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'],
          'BRK.B',
          ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'],
          'stocks',
        ],
      ] as const;
      for (const [symbol, timeframes, stored, order, assetClass] of cases) {
        const response = await api().post('/api/v1/symbols').send({ symbol, timeframes }).expect(201);
        expect(response.body).toMatchObject({ symbol: stored, timeframes: order, assetClass });
      }
    });

    it('takes its own indicators, canonical and without repeats, and refuses bad ones naming what is wrong', async () => {
      const response = await api()
        .post('/api/v1/symbols')
        .send({ symbol: 'QQQ', timeframes: ['1m'], indicators: ['SMA:20', 'rsi', 'macd:12:26:9', 'sma:20'] })
        .expect(201);
      expect(response.body).toMatchObject({ indicators: ['sma:20', 'rsi:14', 'macd:12:26:9'], defaultIndicators: false });
      const post = (indicators: unknown) => api().post('/api/v1/symbols').send({ symbol: 'IWM', indicators });
      await expect400(await post(['sma:0']), 'indicators', /^"sma:0": window must be a whole number from 1 to 10,000/);
      await expect400(await post(['sma:10001']), 'indicators', /^"sma:10001": window must be a whole number from 1 to 10,000/);
      await expect400(await post(['macd:26:12:9']), 'indicators', '"macd:26:12:9": fast (26) must be less than slow (12)');
      await expect400(
        await post(['kama:10']),
        'indicators',
        '"kama:10": unknown indicator "kama"; known: sma, ema, wma, rsi, macd, bbands, atr, stoch, obv, vwap',
      );
      await expect400(await post('sma:20'), 'indicators', 'must be an array of indicators such as ["sma:20", "rsi:14"]');
      await expect400(await post(Array.from({ length: 21 }, (_, i) => `sma:${i + 1}`)), 'indicators', 'must list at most 20 indicators');
      await api().get('/api/v1/symbol/IWM').expect(404);
    });

    it('answers 409 for a symbol already tracked, whatever its case, and changes nothing', async () => {
      await api()
        .post('/api/v1/symbols')
        .send({ symbol: 'MSFT', timeframes: ['1d'] })
        .expect(201);
      const response = await api()
        .post('/api/v1/symbols')
        .send({ symbol: 'msft', timeframes: ['1m'] })
        .expect(409);
      expect(response.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: 'MSFT is already tracked; change its timeframes with PUT /api/v1/symbol/MSFT/timeframes',
        requestId: expect.any(String),
      });
      expect((await api().get('/api/v1/symbol/MSFT').expect(200)).body.timeframes).toEqual(['1d']);
    });

    it('rejects bad bodies naming the field and the reason', async () => {
      const post = (body: unknown) =>
        api()
          .post('/api/v1/symbols')
          .send(body as object);
      await expect400(await post({ timeframes: ['1h'] }), 'symbol', 'must be a string');
      await expect400(await post({ symbol: 42 }), 'symbol', 'must be a string');
      await expect400(
        await post({ symbol: 'NOT A TICKER' }),
        'symbol',
        'must be a ticker like AAPL, BRK.B, X:BTCUSD (crypto), C:EURUSD (forex) or I:SPX (index), got "NOT A TICKER"',
      );
      await expect400(await post({ symbol: 'NVDA', timeframes: [] }), 'timeframes', 'must list at least one timeframe');
      await expect400(
        await post({ symbol: 'NVDA', timeframes: ['1h', '1d', '1h'] }),
        'timeframes',
        'must not list a timeframe twice; repeated: 1h',
      );
      await expect400(
        await post({ symbol: 'NVDA', timeframes: ['1h', '2h', '1y'] }),
        'timeframes',
        '"2h", "1y" are not supported; use 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w',
      );
      await expect400(await post({ symbol: 'NVDA', timeframes: '1h' }), 'timeframes', 'must be an array of timeframes');
      await expect400(await post({ symbol: 'NVDA', timeframes: ['1h', 5] }), 'timeframes', 'must hold only strings');
      await expect400(await post({ symbol: 'NVDA', active: false }), 'active', 'property active should not exist');
      await expect400(await api().post('/api/v1/symbols?force=true').send({ symbol: 'NVDA' }), 'force', 'property force should not exist');
      await api().get('/api/v1/symbol/NVDA').expect(404);
    });

    it('rejects malformed JSON with a 400 in the common shape, with its request id', async () => {
      const response = await api()
        .post('/api/v1/symbols')
        .set('Content-Type', 'application/json')
        .set('X-Request-Id', 'bad-json-1')
        .send('{"symbol": "NVDA",')
        .expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/^body: is not valid JSON: /),
        details: [{ field: 'body', reason: expect.stringMatching(/^is not valid JSON: .*JSON/) }],
        requestId: 'bad-json-1',
      });
      expect(response.headers['x-request-id']).toBe('bad-json-1');
      const generated = await api().post('/api/v1/symbols').set('Content-Type', 'application/json').send('[1,').expect(400);
      expect(generated.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(generated.headers['x-request-id']).toBe(generated.body.requestId);
      expect(JSON.stringify(response.body)).not.toMatch(/node_modules|\bat \S+ \(/);
    });
  });

  describe('GET /api/v1/symbols and /api/v1/symbol/{symbol}', () => {
    it('lists every tracked symbol ordered by symbol', async () => {
      const response = await api().get('/api/v1/symbols').expect(200);
      const symbols = response.body.symbols as { symbol: string }[];
      expect(symbols.map((s) => s.symbol)).toEqual(['AAPL', 'BRK.B', 'C:EURUSD', 'I:SPX', 'MSFT', 'QQQ', 'X:BTCUSD']);
      for (const symbol of symbols) expect(Object.keys(symbol).sort()).toEqual(TRACKED_KEYS);
    });

    it('answers 404 for an untracked symbol and 400 for a malformed one, and rejects unknown parameters', async () => {
      const missing = await api().get('/api/v1/symbol/TSLA').expect(404);
      expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'TSLA is not tracked', requestId: expect.any(String) });
      await expect400(await api().get('/api/v1/symbol/TS_LA'), 'symbol', /^must be a ticker like/);
      await expect400(await api().get('/api/v1/symbols?page=2'), 'page', 'property page should not exist');
      await expect400(await api().get('/api/v1/symbol/AAPL?verbose=1'), 'verbose', 'property verbose should not exist');
    });
  });

  describe('PUT /api/v1/symbol/{symbol}/indicators', () => {
    it('replaces the list, null returns to the defaults, [] keeps none; 404 untracked, 400 bad', async () => {
      const put = (body: object, symbol = 'AAPL') => api().put(`/api/v1/symbol/${symbol}/indicators`).send(body);
      expect((await put({ indicators: ['obv', 'stoch'] }).expect(200)).body).toMatchObject({
        indicators: ['obv', 'stoch:14:3:3'],
        defaultIndicators: false,
      });
      expect((await api().get('/api/v1/symbol/AAPL').expect(200)).body.indicators).toEqual(['obv', 'stoch:14:3:3']);
      expect((await put({ indicators: [] }).expect(200)).body).toMatchObject({ indicators: [], defaultIndicators: false });
      expect((await put({ indicators: null }).expect(200)).body).toMatchObject({ indicators: DEFAULT_INDICATORS, defaultIndicators: true });
      await put({ indicators: ['rsi:14'] }, 'TSLA').expect(404);
      await expect400(await put({ indicators: ['rsi:0'] }), 'indicators', /^"rsi:0": /);
      await expect400(await put({}), 'indicators', 'is required: the full list (null for ENRICHMENT_DEFAULT_INDICATORS)');
    });
  });

  describe('PUT /api/v1/symbol/{symbol}/timeframes', () => {
    it('replaces the list and moves updatedAt', async () => {
      const before = (await api().get('/api/v1/symbol/AAPL').expect(200)).body;
      const response = await api()
        .put('/api/v1/symbol/aapl/timeframes')
        .send({ timeframes: ['1d', '1m'] })
        .expect(200);
      expect(response.body).toEqual({ ...before, timeframes: ['1m', '1d'], updatedAt: expect.any(String) });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
      expect((await api().get('/api/v1/symbol/AAPL').expect(200)).body).toEqual(response.body);
    });

    it('answers 404 for an untracked symbol and 400 for a bad list', async () => {
      await api()
        .put('/api/v1/symbol/TSLA/timeframes')
        .send({ timeframes: ['1h'] })
        .expect(404);
      const put = (body: object) => api().put('/api/v1/symbol/AAPL/timeframes').send(body);
      await expect400(await put({}), 'timeframes', 'must be an array of timeframes');
      await expect400(await put({ timeframes: [] }), 'timeframes', 'must list at least one timeframe');
      await expect400(await put({ timeframes: ['5m', '5m'] }), 'timeframes', 'must not list a timeframe twice; repeated: 5m');
      await expect400(await put({ timeframes: ['3m'] }), 'timeframes', '"3m" is not supported; use 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w');
      await expect400(await put({ timeframes: ['1h'], symbol: 'MSFT' }), 'symbol', 'property symbol should not exist');
      await expect400(
        await api()
          .put('/api/v1/symbol/A%20A/timeframes')
          .send({ timeframes: ['1h'] }),
        'symbol',
        /^must be a ticker like/,
      );
      expect((await api().get('/api/v1/symbol/AAPL').expect(200)).body.timeframes).toEqual(['1m', '1d']);
    });
  });

  describe('PATCH /api/v1/symbol/{symbol}', () => {
    it('pauses and resumes a symbol, answering it with `active` set and updatedAt moved; the GET routes show the state', async () => {
      const before = (await api().get('/api/v1/symbol/AAPL').expect(200)).body;
      expect(before.active).toBe(true);
      const paused = await api().patch('/api/v1/symbol/aapl').send({ active: false }).expect(200);
      expect(paused.body).toEqual({ ...before, active: false, updatedAt: expect.any(String) });
      expect(Date.parse(paused.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
      expect((await api().get('/api/v1/symbol/AAPL').expect(200)).body).toEqual(paused.body);
      const listed = (await api().get('/api/v1/symbols').expect(200)).body.symbols as { symbol: string }[];
      expect(listed.find((s) => s.symbol === 'AAPL')).toEqual(paused.body);

      const resumed = await api().patch('/api/v1/symbol/AAPL').send({ active: true }).expect(200);
      expect(resumed.body).toEqual({ ...before, updatedAt: expect.any(String) });
      expect((await api().get('/api/v1/symbol/AAPL').expect(200)).body).toEqual(resumed.body);
    });

    it('answers 404 for an untracked symbol and 400 for a bad body or symbol, changing nothing', async () => {
      const missing = await api().patch('/api/v1/symbol/TSLA').send({ active: false }).expect(404);
      expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'TSLA is not tracked', requestId: expect.any(String) });
      const patch = (body: unknown) =>
        api()
          .patch('/api/v1/symbol/AAPL')
          .send(body as object);
      await expect400(await patch({}), 'active', 'must be a boolean value');
      await expect400(await patch({ active: 'false' }), 'active', 'must be a boolean value');
      await expect400(await patch({ active: 0 }), 'active', 'must be a boolean value');
      await expect400(await patch({ active: null }), 'active', 'must be a boolean value');
      await expect400(await patch({ active: false, timeframes: ['1h'] }), 'timeframes', 'property timeframes should not exist');
      await expect400(
        await api().patch('/api/v1/symbol/AAPL?force=true').send({ active: false }),
        'force',
        'property force should not exist',
      );
      await expect400(await api().patch('/api/v1/symbol/A%20A').send({ active: false }), 'symbol', /^must be a ticker like/);
      expect((await api().get('/api/v1/symbol/AAPL').expect(200)).body.active).toBe(true);
    });
  });

  describe('DELETE /api/v1/symbol/{symbol}', () => {
    const hours = bucketStarts('1h', Date.UTC(2024, 0, 2, 14), 24);

    it('stops tracking but keeps the bars, which stay readable', async () => {
      await t.app.get(CandleRepository).upsertMany(barsAt('MSFT', '1h', hours));
      const response = await api().delete('/api/v1/symbol/msft').expect(200);
      expect(response.body).toEqual({ symbol: 'MSFT', purged: false, barsDeleted: 0 });
      await api().get('/api/v1/symbol/MSFT').expect(404);
      const candles = await api().get('/api/v1/asset/MSFT/candles?timeframe=1h&start=2024-01-02&end=2024-01-04').expect(200);
      expect(candles.body.bars).toHaveLength(24);
      await api().delete('/api/v1/symbol/MSFT').expect(404);
    });

    it('with purge=true also deletes every stored bar of the symbol, and only of it', async () => {
      const repository = t.app.get(CandleRepository);
      await repository.upsertMany([
        ...barsAt('X:BTCUSD', '1h', hours),
        ...barsAt('X:BTCUSD', '1m', hours),
        ...barsAt('I:SPX', '1h', hours),
      ]);
      const response = await api().delete('/api/v1/symbol/X:BTCUSD?purge=true').expect(200);
      expect(response.body).toEqual({ symbol: 'X:BTCUSD', purged: true, barsDeleted: 48 });
      expect(await repository.count('X:BTCUSD', '1h', 0, Date.UTC(2100, 0))).toBe(0);
      expect(await repository.count('I:SPX', '1h', 0, Date.UTC(2100, 0))).toBe(24);
      await expect400(await api().delete('/api/v1/symbol/I:SPX?purge=yes'), 'purge', 'must be one of the following values: true, false');
      await expect400(await api().delete('/api/v1/symbol/I:SPX?cascade=true'), 'cascade', 'property cascade should not exist');
      // A symbol untracked can be tracked again.
      await api().post('/api/v1/symbols').send({ symbol: 'X:BTCUSD' }).expect(201);
    });
  });

  it('tells subscribers of this instance what changed', async () => {
    const changes = firstValueFrom(t.app.get(TrackedSymbolsService).changes.pipe(take(5), toArray()));
    await api()
      .post('/api/v1/symbols')
      .send({ symbol: 'AMD', timeframes: ['1m'] })
      .expect(201);
    await api()
      .put('/api/v1/symbol/AMD/timeframes')
      .send({ timeframes: ['1h'] })
      .expect(200);
    await api().patch('/api/v1/symbol/AMD').send({ active: false }).expect(200);
    await api().patch('/api/v1/symbol/AMD').send({ active: true }).expect(200);
    await api().delete('/api/v1/symbol/AMD').expect(200);
    expect((await changes).map((change) => change.kind)).toEqual(['tracked', 'timeframes-changed', 'paused', 'resumed', 'untracked']);
  });
});
