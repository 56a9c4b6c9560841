import request from 'supertest';
import { TestApp, freePort, openTestDatabase, relayTo } from '@app/testing';
import { createTestApp } from './support/test-app';

describe('database faults', () => {
  it('boots without the database, answers /health 503 with a reason and no connection URL, then recovers', async () => {
    const testDatabase = await openTestDatabase('postgresql');
    if (testDatabase.target.kind !== 'url') throw new Error('expected a URL target');
    const real = new URL(testDatabase.target.url);
    const port = await freePort();
    const viaRelay = new URL(testDatabase.target.url);
    viaRelay.port = String(port);
    const relay = relayTo(real);
    const createApp = createTestApp('postgresql', {
      testDatabase: { ...testDatabase, target: { kind: 'url', url: viaRelay.toString() } },
      awaitDatabase: false,
    });
    let t: TestApp | undefined;
    try {
      t = await createApp;
      const down = await request(t.server).get('/health').expect(503);
      expect(down.body.status).toBe('error');
      expect(down.body.details.database.status).toBe('down');
      expect(down.body.details.database.message).toMatch(/ECONNREFUSED|connect/);
      expect(JSON.stringify(down.body)).not.toMatch(/postgres(ql)?:\/\//);

      await relay.listen(port);
      await t.database.whenReady();
      const up = await request(t.server).get('/health').expect(200);
      expect(up.body.details.database).toMatchObject({ status: 'up', engine: 'postgresql', migrationsPending: 0 });
    } finally {
      await t?.close();
      await relay.close();
      await testDatabase.dispose();
    }
  });

  it('answers 503 on /health when the database goes away after start, and 200 when it returns', async () => {
    const testDatabase = await openTestDatabase('postgresql');
    if (testDatabase.target.kind !== 'url') throw new Error('expected a URL target');
    const port = await freePort();
    const viaRelay = new URL(testDatabase.target.url);
    viaRelay.port = String(port);
    let relay = relayTo(new URL(testDatabase.target.url));
    await relay.listen(port);
    const t = await createTestApp('postgresql', { testDatabase: { ...testDatabase, target: { kind: 'url', url: viaRelay.toString() } } });
    try {
      await request(t.server).get('/health').expect(200);
      await relay.close();
      await request(t.server).get('/health').expect(503);
      relay = relayTo(new URL(testDatabase.target.url));
      await relay.listen(port);
      await request(t.server).get('/health').expect(200);
    } finally {
      await t.close();
      await relay.close();
      await testDatabase.dispose();
    }
  });

  it('lets two instances start on one fresh database at once: one migrates, the other waits', async () => {
    const testDatabase = await openTestDatabase('postgresql');
    const [first, second] = await Promise.all([
      createTestApp('postgresql', { testDatabase }),
      createTestApp('postgresql', { testDatabase }),
    ]);
    try {
      const migrations = await first.database.query<{ name: string; n: number }>(
        'SELECT name, count(*)::int AS n FROM migrations GROUP BY name ORDER BY name',
      );
      expect(migrations.length).toBeGreaterThanOrEqual(2);
      expect(migrations.every((m) => m.n === 1)).toBe(true);
      await request(first.server).get('/health').expect(200);
      await request(second.server).get('/health').expect(200);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await testDatabase.dispose();
    }
  });
});
