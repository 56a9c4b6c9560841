import request from 'supertest';
import { TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';

interface Operation {
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string; description?: string; required?: boolean; schema: Record<string, unknown> }[];
  responses: Record<
    string,
    { description?: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown; example?: unknown }> }
  >;
  requestBody?: unknown;
}
type Spec = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

const ALL = 'Supported timeframes: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w';

/** Route -> the error statuses it must document. */
const ROUTES: [string, string, string[]][] = [
  ['get', '/api/v1/asset/{symbol}/candles', ['400', '401', '403', '429', '503']],
  ['get', '/api/v1/symbols', ['400', '401', '403', '429', '503']],
  ['post', '/api/v1/symbols', ['400', '401', '403', '409', '429', '503']],
  ['get', '/api/v1/symbol/{symbol}', ['400', '401', '403', '404', '429', '503']],
  ['put', '/api/v1/symbol/{symbol}/timeframes', ['400', '401', '403', '404', '429', '503']],
  ['delete', '/api/v1/symbol/{symbol}', ['400', '401', '403', '404', '429', '503']],
];

async function specOf(t: TestApp): Promise<Spec> {
  return (await request(t.server).get('/docs/openapi.json').expect(200)).body as Spec;
}

describe('OpenAPI document of the candles and symbols routes', () => {
  let t: TestApp;
  let spec: Spec;

  beforeAll(async () => {
    t = await createTestApp('postgresql');
    spec = await specOf(t);
  });

  afterAll(() => t.close());

  it('documents every route with a summary, the supported timeframes from config, a success and every error in the common shape', () => {
    for (const [method, path, errors] of ROUTES) {
      const operation = spec.paths[path]?.[method];
      expect(operation).toBeDefined();
      expect(operation.summary).toEqual(expect.any(String));
      if (method !== 'delete') expect(operation.description).toContain(ALL);
      const statuses = Object.keys(operation.responses);
      expect(statuses.filter((s) => s.startsWith('2'))).toHaveLength(1);
      expect(statuses.filter((s) => Number(s) >= 400).sort()).toEqual(errors);
      for (const status of errors) {
        const json = operation.responses[status].content?.['application/json'];
        expect(json?.schema).toEqual({ $ref: '#/components/schemas/ErrorResponseDto' });
        expect(json?.example).toMatchObject({ statusCode: Number(status), message: expect.any(String) });
      }
    }
  });

  it('documents every candles parameter, with the timeframe enum from config including 1m and examples using 1m', () => {
    const operation = spec.paths['/api/v1/asset/{symbol}/candles'].get;
    const params = Object.fromEntries((operation.parameters ?? []).map((p) => [p.name, p]));
    expect(Object.keys(params).sort()).toEqual([
      'Accept-Encoding',
      'If-None-Match',
      'cursor',
      'end',
      'format',
      'indicators',
      'limit',
      'session',
      'sort',
      'source',
      'start',
      'symbol',
      'timeframe',
    ]);
    expect(params.source.schema).toMatchObject({ enum: ['auto', 'native', 'derived'], default: 'auto', example: 'derived' });
    expect(params.session.schema).toMatchObject({ enum: ['extended', 'regular'], default: 'extended', example: 'regular' });
    expect(params.symbol).toMatchObject({ in: 'path', required: true });
    expect(params.timeframe.schema).toMatchObject({
      enum: ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'],
      default: '1h',
      example: '1m',
    });
    expect(params.timeframe.description).toContain(ALL);
    expect(params.limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 50_000, default: 10_000 });
    expect(params.start.description).toContain('1m: 1 day');
    for (const name of ['start', 'end', 'limit', 'cursor', 'sort', 'format', 'source', 'session'])
      expect(params[name].description ?? params[name].schema.description).toEqual(expect.any(String));
    expect(params['If-None-Match']).toMatchObject({ in: 'header', required: false });
    expect(operation.responses['304'].description).toContain('If-None-Match');
    expect(Object.keys(operation.responses['200'].headers ?? {})).toEqual(
      expect.arrayContaining(['ETag', 'Cache-Control', 'Vary', 'X-Cache']),
    );
    const ok = operation.responses['200'].content ?? {};
    expect(Object.keys(ok).sort()).toEqual(['application/json', 'text/csv']);
    expect(ok['application/json'].example).toMatchObject({ timeframe: '1m', bars: expect.any(Array) });
    expect(String(ok['text/csv'].example)).toMatch(/^time,open,high,low,close,volume,vwap,trades,isComplete\r\n2024-01-02T14:30:00.000Z,/);
    expect(spec.components.schemas.CandlesPageDto).toMatchObject({
      properties: { nextCursor: { nullable: true }, bars: { type: 'array' }, source: { enum: ['native', 'derived'] } },
    });
    expect(operation.responses['200'].headers).toHaveProperty('X-Candle-Source');
  });

  it('documents the tracked-symbol bodies, with 1m examples and no placeholder left anywhere', () => {
    const body = JSON.stringify(spec.paths['/api/v1/symbols'].post.requestBody);
    expect(body).toContain('"1m"');
    expect(JSON.stringify(spec.components.schemas.TrackSymbolDto)).toContain('"enum":["1m","5m","15m","30m","1h","4h","1d","1w"]');
    expect(JSON.stringify(spec)).not.toContain('{{');
  });
});

describe('OpenAPI document with fewer timeframes configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('postgresql', {
      env: { ALLOWED_TIMEFRAMES: '1m,1h,1d', DEFAULT_TIMEFRAMES: '1d', CANDLES_PAGE_SIZE: '500', CANDLES_MAX_PAGE_SIZE: '2000' },
    });
  });

  afterAll(() => t.close());

  it('describes only what the configuration allows, and the API enforces the same', async () => {
    const spec = await specOf(t);
    const operation = spec.paths['/api/v1/asset/{symbol}/candles'].get;
    expect(operation.description).toContain('Supported timeframes: 1m, 1h, 1d.');
    expect(JSON.stringify(spec)).not.toContain('5m');
    const params = Object.fromEntries((operation.parameters ?? []).map((p) => [p.name, p]));
    expect(params.timeframe.schema.enum).toEqual(['1m', '1h', '1d']);
    expect(params.limit.schema).toMatchObject({ maximum: 2000, default: 500 });
    expect(spec.paths['/api/v1/symbols'].post.description).toContain('DEFAULT_TIMEFRAMES (1d)');

    const refused = await request(t.server).get('/api/v1/asset/AAPL/candles?timeframe=5m').expect(400);
    expect(refused.body.details).toEqual([{ field: 'timeframe', reason: '"5m" is not a supported timeframe; use one of 1m, 1h, 1d' }]);
    await request(t.server).get('/api/v1/asset/AAPL/candles?limit=2001').expect(400);
    await request(t.server).get('/api/v1/asset/AAPL/candles?limit=2000').expect(200);
    const tracked = await request(t.server).post('/api/v1/symbols').send({ symbol: 'AAPL' }).expect(201);
    expect(tracked.body.timeframes).toEqual(['1d']);
    const bad = await request(t.server)
      .post('/api/v1/symbols')
      .send({ symbol: 'MSFT', timeframes: ['1m', '4h'] })
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'timeframes', reason: '"4h" is not supported; use 1m, 1h, 1d' }]);
  });
});
