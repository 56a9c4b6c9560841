import { createServer, Server, Socket, connect } from 'node:net';
import request from 'supertest';
import { TestApp, createTestApp, openTestDatabase } from '@app/testing';

/** A TCP relay we can start late: the database "comes back" when it starts forwarding. */
function relayTo(target: URL): { server: Server; listen(port: number): Promise<void> } {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return { server, listen: (port) => new Promise((resolve) => server.listen(port, '127.0.0.1', resolve)) };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

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
      await new Promise((resolve) => relay.server.close(resolve));
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
      await new Promise((resolve) => relay.server.close(resolve));
      await request(t.server).get('/health').expect(503);
      relay = relayTo(new URL(testDatabase.target.url));
      await relay.listen(port);
      await request(t.server).get('/health').expect(200);
    } finally {
      await t.close();
      await new Promise((resolve) => relay.server.close(resolve));
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
