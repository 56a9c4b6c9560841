import request from 'supertest';
import { ENGINES, TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';

describe.each(ENGINES)('GET /health on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });

  afterAll(() => t.close());

  it('reports the engine, TimescaleDB and applied migrations', async () => {
    const response = await request(t.server).get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.details.database).toMatchObject({
      status: 'up',
      engine,
      timescaledb: engine === 'timescaledb',
      migrationsApplied: expect.any(Number),
      migrationsPending: 0,
    });
    expect(response.body.details.database.migrationsApplied).toBeGreaterThanOrEqual(2);
    // Why not, when TimescaleDB is not used (a server without the extension: nothing to fix there).
    const whyNot = { timescaledb: undefined, postgresql: expect.stringContaining('timescaledb extension') }[engine];
    expect(response.body.details.database.timescaledbReason).toEqual(whyNot);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('says ingestion is off without a provider key, and how to turn it on', async () => {
    const response = await request(t.server).get('/health').expect(200);
    expect(response.body.details.ingestion).toMatchObject({ status: 'up', enabled: false });
    expect(response.body.details.ingestion.howToEnable).toContain('POLYGON_API_KEY');
  });

  it('serves Prometheus metrics: provider, backfill and process', async () => {
    const response = await request(t.server)
      .get('/metrics')
      .expect(200)
      .expect('content-type', /text\/plain/);
    expect(response.text).toMatch(/^# HELP process_cpu_user_seconds_total/m);
    expect(response.text).toMatch(/^# TYPE polygon_requests_total counter/m);
    expect(response.text).toMatch(/^# HELP backfill_/m);
  });

  it('echoes a caller-supplied request id', async () => {
    const response = await request(t.server).get('/health').set('X-Request-Id', 'trace-123').expect(200);
    expect(response.headers['x-request-id']).toBe('trace-123');
  });

  it('answers unknown routes with a 404 in the common error shape', async () => {
    const response = await request(t.server).get('/api/v1/nothing-here').expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /api/v1/nothing-here',
      requestId: response.headers['x-request-id'],
    });
  });

  it('serves Swagger UI at /docs and the OpenAPI document beside it', async () => {
    await request(t.server).get('/docs').expect(200).expect('content-type', /html/);
    const spec = await request(t.server).get('/docs/openapi.json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(spec.body.paths['/health']).toBeDefined();
    expect(spec.body.info.description).toContain('Supported timeframes: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w');
  });
});
