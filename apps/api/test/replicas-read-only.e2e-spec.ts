import type { ArgumentsHost } from '@nestjs/common';
import request from 'supertest';
import { BackfillScheduler } from '@app/backfill';
import { DatabaseService } from '@app/database';
import { AllExceptionsFilter } from '@app/http';
import { CandleRepository } from '@app/market-data';
import { LatencyWindows } from '@app/monitoring';
import { AlertTicker } from '@app/monitoring/testing';
import { ReplicationCluster, type TestApp, databaseAt, eventually } from '@app/testing';
import { createTestApp } from './support/test-app';
import { barsAt, bucketStarts } from './candles-fixtures';

const START = Date.UTC(2024, 0, 2, 14, 30);
const HOUR = bucketStarts('1m', START, 60);

/** What DatabaseService methods that change something were called on `database` (the spies see every instance). */
function writesBy(database: DatabaseService, spies: jest.SpyInstance[]): string[] {
  return spies.flatMap((spy) => (spy.mock.contexts as unknown[]).filter((context) => context === database).map(() => spy.getMockName()));
}

describe('an instance whose only database is a hot standby (real streaming replication)', () => {
  let cluster: ReplicationCluster;
  let urls: { primaryUrl: string; standbyUrl: string };
  /** DATABASE_URL is the standby. Ingestion is on (a provider key), so only the read-only database keeps its scheduler off. */
  let replica: TestApp;
  /** DATABASE_URL is the primary: it migrates and takes the writes. */
  let writer: TestApp | undefined;
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    for (const method of ['execute', 'withClient', 'withAdvisoryLock', 'runExclusive'] as const)
      spies.push(jest.spyOn(DatabaseService.prototype, method).mockName(method));
    cluster = await ReplicationCluster.start();
    urls = await cluster.createDatabase('market_data');
    replica = await createTestApp('postgresql', {
      testDatabase: databaseAt(urls.standbyUrl),
      awaitDatabase: false,
      env: { CACHE_ENABLED: 'false', POLYGON_API_KEY: 'test-key', POLYGON_BASE_URL: 'http://127.0.0.1:9' },
    });
  });

  afterAll(async () => {
    await replica?.close();
    await writer?.close();
    await cluster?.stop();
    spies.forEach((spy) => spy.mockRestore());
  });

  it('attempts no migration: it waits until the primary has applied them, then serves; /health says role replica and the replay lag', async () => {
    await eventually(async () => {
      const health = await request(replica.server).get('/health');
      return health.status === 503 && health.body.details.database.role === 'replica';
    }, 'the standby recognised as read-only');
    const waiting = (await request(replica.server).get('/health').expect(503)).body.details.database;
    expect(waiting).toMatchObject({
      status: 'down',
      role: 'replica',
      migrationsApplied: 0,
      readOnlyReason: expect.stringContaining('hot standby'),
    });
    expect(waiting.message).toMatch(/read-only .*waiting for the primary to apply \d+ of \d+ migrations/);
    await request(replica.server)
      .get(`/api/v1/asset/SPY/candles?timeframe=1m&start=${START}&end=${START + 3_600_000}`)
      .expect(503);

    writer = await createTestApp('postgresql', { testDatabase: databaseAt(urls.primaryUrl), env: { CACHE_ENABLED: 'false' } });
    await replica.database.whenReady();
    const health = await request(replica.server).get('/health').expect(200);
    expect(health.body.details.database).toMatchObject({
      status: 'up',
      role: 'replica',
      migrationsPending: 0,
      replayLagSeconds: expect.any(Number),
    });
    expect(health.body.details.database.replayLagSeconds).toBeGreaterThanOrEqual(0);
    expect(replica.database.isReadOnly).toBe(true);
    expect(writer.database.isReadOnly).toBe(false);
    expect((await request(writer.server).get('/health').expect(200)).body.details.database.role).toBe('primary');
  });

  it('serves reads of what was written through the primary', async () => {
    await request(writer!.server)
      .post('/api/v1/symbols')
      .send({ symbol: 'SPY', timeframes: ['1m'] })
      .expect(201);
    await writer!.app.get(CandleRepository).upsertMany(barsAt('SPY', '1m', HOUR));
    await cluster.waitForReplay();
    const page = await request(replica.server)
      .get(`/api/v1/asset/SPY/candles?timeframe=1m&start=${START}&end=${START + 3_600_000}`)
      .expect(200);
    expect(page.body.bars).toHaveLength(60);
    expect((await request(replica.server).get('/api/v1/symbol/SPY').expect(200)).body.timeframes).toEqual(['1m']);
    await request(replica.server).get('/api/v1/backfill/jobs').expect(200);
    await request(replica.server)
      .get(`/api/v1/asset/SPY/gaps?timeframe=1m&start=${START}&end=${START + 3_600_000}`)
      .expect(200);
  });

  it.each([
    ['POST', '/api/v1/symbols', { symbol: 'AAPL' }],
    ['PUT', '/api/v1/symbol/SPY/timeframes', { timeframes: ['1m', '5m'] }],
    ['PUT', '/api/v1/symbol/SPY/indicators', { indicators: ['sma:20'] }],
    ['PATCH', '/api/v1/symbol/SPY', { active: false }],
    ['DELETE', '/api/v1/symbol/SPY?purge=true', undefined],
    ['POST', '/api/v1/symbol/SPY/backfill', { timeframes: ['1m'] }],
    ['POST', '/api/v1/symbols', { symbol: '' }], // refused before validation: the body does not matter here
  ])('%s %s answers 503: the instance serves a read-only replica, and writes go to the primary', async (method, path, body) => {
    const call = request(replica.server)[method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete'](path);
    const response = await (body === undefined ? call : call.send(body));
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringContaining('serves a read-only replica of the database'),
      requestId: expect.any(String),
    });
    expect(response.body.message).toContain('DATABASE_URL is the primary');
    // Nothing changed on the primary.
    const tracked = await request(writer!.server).get('/api/v1/symbol/SPY').expect(200);
    expect(tracked.body).toMatchObject({ timeframes: ['1m'], active: true });
    await request(writer!.server).get('/api/v1/symbol/AAPL').expect(404);
  });

  it('answers 503, not 500, when a write reaches the read-only database by another path (SQLSTATE 25006)', async () => {
    const refused = await replica.database
      .execute(`UPDATE tracked_symbols SET active = false WHERE symbol = 'SPY'`)
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: '25006' });
    const sent: { status?: number; body?: { statusCode: number; message: string } } = {};
    const response = {
      setHeader: () => undefined,
      status(code: number) {
        sent.status = code;
        return this;
      },
      json(body: { statusCode: number; message: string }) {
        sent.body = body;
      },
    };
    const host = { switchToHttp: () => ({ getRequest: () => ({ id: 'r-1', method: 'POST', path: '/x' }), getResponse: () => response }) };
    new AllExceptionsFilter().catch(refused, host as unknown as ArgumentsHost);
    expect(sent.status).toBe(503);
    expect(sent.body?.message).toContain('read-only');
  });

  it('keeps the schedulers that write off: backfill and refresh, heartbeat, alert evaluation, storage samples, latency slots', async () => {
    expect(replica.app.get(BackfillScheduler).active).toBe(false);
    expect((await request(replica.server).get('/api/v1/backfill/jobs').expect(200)).body.scheduler).toMatchObject({ enabled: false });
    await replica.app.get(BackfillScheduler).tick();
    await replica.app.get(AlertTicker).tick();
    await request(replica.server).get('/health').expect(200);
    await replica.app.get(LatencyWindows).flush();
    // Only the 25006 probe of the previous test changed (tried to change) anything through this instance.
    expect(writesBy(replica.database, spies)).toEqual(['execute']);
  });
});
