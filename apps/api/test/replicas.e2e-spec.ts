import request from 'supertest';
import { Client } from 'pg';
import { CandleRepository } from '@app/market-data';
import { ReplicationCluster, type TestApp, databaseAt, eventually } from '@app/testing';
import { createTestApp } from './support/test-app';
import { metricSample } from './support/metric-sample';
import { barsAt, bucketStarts } from './candles-fixtures';

/** Tuesday 2024-01-02 14:30Z: an hour of 1m bars from here. */
const START = Date.UTC(2024, 0, 2, 14, 30);
const HOUR = bucketStarts('1m', START, 60);
const NEXT_HOUR = bucketStarts('1m', START + 3_600_000, 60);
const END = START + 2 * 3_600_000;

interface ReplicaBody {
  name: string;
  state: string;
  lagSeconds: number | null;
  error?: string;
}

async function replicaOf(t: TestApp): Promise<ReplicaBody | undefined> {
  const health = await request(t.server).get('/health');
  return (health.body as { details?: { database?: { replicas?: ReplicaBody[] } } }).details?.database?.replicas?.[0];
}

const replicaIs = (t: TestApp, state: string) =>
  eventually(async () => (await replicaOf(t))?.state === state, `the replica to be ${state}`);

/** db_reads_total by the database that answered. */
async function readsServed(t: TestApp): Promise<{ replica: number; primary: number }> {
  const text = (await request(t.server).get('/metrics').expect(200)).text;
  return {
    replica: metricSample(text, 'db_reads_total{served_by="replica"}') ?? 0,
    primary: metricSample(text, 'db_reads_total{served_by="primary"}') ?? 0,
  };
}

/** The bars of `symbol` over both hours, and which database answered the request. */
async function candles(t: TestApp, symbol: string): Promise<{ bars: number; servedBy: 'replica' | 'primary' | 'both' }> {
  const before = await readsServed(t);
  const response = await request(t.server).get(`/api/v1/asset/${symbol}/candles?timeframe=1m&start=${START}&end=${END}`).expect(200);
  const after = await readsServed(t);
  const replica = after.replica > before.replica;
  const primary = after.primary > before.primary;
  return {
    bars: (response.body as { bars: unknown[] }).bars.length,
    servedBy: replica && primary ? 'both' : replica ? 'replica' : 'primary',
  };
}

/** Reads until one is answered by the replica (it rejoins within a probe interval of being well again). */
async function readFromReplica(t: TestApp, symbol: string): Promise<number> {
  let bars = -1;
  await eventually(async () => {
    const read = await candles(t, symbol);
    bars = read.bars;
    return read.servedBy === 'replica';
  }, `a read of ${symbol} served by the replica`);
  return bars;
}

async function countOn(url: string, symbol: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM market_data WHERE symbol = $1', [symbol]);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

describe('read replicas: one instance on a primary and a hot standby (real streaming replication)', () => {
  let cluster: ReplicationCluster;
  let urls: { primaryUrl: string; standbyUrl: string };
  /** REPLICA_MAX_LAG_SECONDS=1: a paused replica is skipped within about two seconds. */
  let t: TestApp;

  beforeAll(async () => {
    cluster = await ReplicationCluster.start();
    urls = await cluster.createDatabase('market_data');
    t = await createTestApp('postgresql', {
      testDatabase: databaseAt(urls.primaryUrl),
      env: { DATABASE_REPLICA_URLS: urls.standbyUrl, REPLICA_MAX_LAG_SECONDS: '1', CACHE_ENABLED: 'false' },
    });
    await replicaIs(t, 'healthy');
  });

  afterAll(async () => {
    await t?.close();
    await cluster?.stop();
  });

  it('reports role primary and the replica on /health', async () => {
    const database = (await request(t.server).get('/health').expect(200)).body.details.database;
    expect(database).toMatchObject({ status: 'up', role: 'primary', migrationsPending: 0 });
    expect(database.replicas).toEqual([
      { name: expect.stringMatching(/^127\.0\.0\.1:\d+\/market_data$/), state: 'healthy', lagSeconds: expect.any(Number) },
    ]);
    // The app's own writes (heartbeats, latency slots) can land between a probe's two readings: within the limit, not 0.
    expect(database.replicas[0].lagSeconds).toBeGreaterThanOrEqual(0);
    expect(database.replicas[0].lagSeconds).toBeLessThan(1);
    expect(JSON.stringify(database)).not.toContain('postgres@');
  });

  it('writes land on the primary and are read back from the replica once replayed', async () => {
    await request(t.server)
      .post('/api/v1/symbols')
      .send({ symbol: 'SPY', timeframes: ['1m'] })
      .expect(201);
    await t.app.get(CandleRepository).upsertMany(barsAt('SPY', '1m', HOUR));
    expect(await countOn(urls.primaryUrl, 'SPY')).toBe(60);
    await cluster.waitForReplay();
    expect(await countOn(urls.standbyUrl, 'SPY')).toBe(60);
    expect(await readFromReplica(t, 'SPY')).toBe(60);
    // Tracked symbols are read from the primary, always (read-your-writes).
    const listed = await request(t.server).get('/api/v1/symbols').expect(200);
    expect(JSON.stringify(listed.body)).toContain('"SPY"');
  });

  it('replication paused beyond REPLICA_MAX_LAG_SECONDS: reads go to the primary, and back to the replica once it catches up', async () => {
    await t.app.get(CandleRepository).upsertMany(barsAt('QQQ', '1m', HOUR));
    await cluster.waitForReplay();
    expect(await readFromReplica(t, 'QQQ')).toBe(60);

    await cluster.pauseReplay();
    await t.app.get(CandleRepository).upsertMany(barsAt('QQQ', '1m', NEXT_HOUR, 2));
    await replicaIs(t, 'lagging');
    expect((await replicaOf(t))?.lagSeconds).toBeGreaterThan(1);
    expect(await countOn(urls.standbyUrl, 'QQQ')).toBe(60); // the replica has not applied the second hour
    expect(await candles(t, 'QQQ')).toEqual({ bars: 120, servedBy: 'primary' });

    await cluster.resumeReplay();
    await replicaIs(t, 'healthy');
    expect(await readFromReplica(t, 'QQQ')).toBe(120);
  });

  it('the standby stopped mid-run: reads fall back to the primary with no failed request, and it rejoins by itself', async () => {
    expect(await readFromReplica(t, 'QQQ')).toBe(120);
    const outcomes: string[] = [];
    let running = true;
    const reader = async (): Promise<void> => {
      while (running) {
        const response = await request(t.server).get(`/api/v1/asset/QQQ/candles?timeframe=1m&start=${START}&end=${END}`);
        outcomes.push(response.status === 200 ? `200:${(response.body as { bars: unknown[] }).bars.length}` : String(response.status));
      }
    };
    const readers = Array.from({ length: 6 }, reader);
    await eventually(async () => outcomes.length >= 12, 'reads before the stop');
    await cluster.stopStandby();
    const atStop = outcomes.length;
    await eventually(async () => outcomes.length >= atStop + 30, 'reads after the stop');
    running = false;
    await Promise.all(readers);
    expect(outcomes.filter((outcome) => outcome !== '200:120')).toEqual([]);
    const replica = await replicaOf(t);
    expect(replica).toMatchObject({ state: 'down', error: expect.any(String) });
    expect(replica?.error).not.toContain('postgres@');

    await cluster.startStandby();
    await replicaIs(t, 'healthy');
    expect(await readFromReplica(t, 'QQQ')).toBe(120);
  });

  describe('read-your-writes, with a lagging replica still within the lag limit', () => {
    /** REPLICA_MAX_LAG_SECONDS=3600: a paused replica stays in use, so only the fence keeps stale reads away. */
    let patient: TestApp;

    beforeAll(async () => {
      patient = await createTestApp('postgresql', {
        testDatabase: databaseAt(urls.primaryUrl),
        env: { DATABASE_REPLICA_URLS: urls.standbyUrl, REPLICA_MAX_LAG_SECONDS: '3600', CACHE_ENABLED: 'false' },
      });
      await replicaIs(patient, 'healthy');
    });

    afterAll(async () => {
      await cluster.resumeReplay();
      await patient?.close();
    });

    it('a client that changed something reads its change back through the same instance, then reads move back to the replica', async () => {
      expect(await readFromReplica(patient, 'SPY')).toBe(60);
      await cluster.pauseReplay();
      // Background writes are not fenced: within the lag limit the replica serves the older state.
      await patient.app.get(CandleRepository).upsertMany(barsAt('SPY', '1m', NEXT_HOUR, 3));
      expect(await readFromReplica(patient, 'SPY')).toBe(60);
      // Jobs (work under a lock) and primaryReads() see the primary: they act on what was written.
      const repository = patient.app.get(CandleRepository);
      expect(await patient.database.runExclusive('replicas-test', () => repository.count('SPY', '1m', START, END))).toBe(120);
      expect(await patient.database.primaryReads(() => repository.count('SPY', '1m', START, END))).toBe(120);
      expect(await repository.count('SPY', '1m', START, END)).toBe(60);

      await request(patient.server).delete('/api/v1/symbol/SPY?purge=true').expect(200);
      expect(await countOn(urls.standbyUrl, 'SPY')).toBe(60); // the paused replica still has the first hour
      expect(await candles(patient, 'SPY')).toEqual({ bars: 0, servedBy: 'primary' });
      const listed = await request(patient.server).get('/api/v1/symbols').expect(200);
      expect(JSON.stringify(listed.body)).not.toContain('"SPY"');
      await request(patient.server).get('/api/v1/symbol/SPY').expect(404);

      await cluster.resumeReplay();
      await cluster.waitForReplay();
      expect(await readFromReplica(patient, 'SPY')).toBe(0);
    });
  });
});
