import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { Client } from 'pg';
import request from 'supertest';
import { EmbeddedPostgresEngine } from '@app/database';
import { TestApp } from '@app/testing';
import { logParams } from '../src/logging';
import { createTestApp } from './support/test-app';

/**
 * A server where timescaledb is installed but not preloaded. Without a TimescaleDB build
 * at hand, a stand-in extension named timescaledb (found through PostgreSQL 18's
 * extension_control_path, so it runs on its own embedded server whatever DATABASE_URL says)
 * ends the session when created, as the real one does ("must be preloaded" is FATAL).
 * The server runs from a child process: the platform binaries package is an ES module that
 * jest's module loader cannot require.
 */
describe('TimescaleDB installed but not preloaded', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let databaseUrl: string;
  let t: TestApp | undefined;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'market-data-no-preload-'));
    // As root the server runs as the postgres user, which must read the stand-in.
    const extensionDir = join(dir, 'share', 'extension');
    mkdirSync(extensionDir, { recursive: true });
    for (const path of [dir, join(dir, 'share'), extensionDir]) chmodSync(path, 0o755);
    writeFileSync(join(extensionDir, 'timescaledb.control'), "comment = 'stand-in'\ndefault_version = '9.9.9'\nrelocatable = false\n");
    writeFileSync(join(extensionDir, 'timescaledb--9.9.9.sql'), 'SELECT pg_terminate_backend(pg_backend_pid());\n');
    const started = await startEmbeddedServer(join(dir, 'data'));
    server = started.child;
    databaseUrl = await EmbeddedPostgresEngine.ensureDatabase(started.url, 'market_data');
    await withClient(databaseUrl, (client) =>
      client.query(`ALTER DATABASE market_data SET extension_control_path = '${join(dir, 'share')}:$system'`),
    );
  });

  afterAll(async () => {
    await t?.close();
    if (server) await stopEmbeddedServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the stand-in is faithful: creating it drops the session, past any exception handler', async () => {
    const client = new Client({ connectionString: databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    await expect(
      client.query(`DO $$ BEGIN CREATE EXTENSION timescaledb; EXCEPTION WHEN others THEN RAISE NOTICE 'caught'; END $$`),
    ).rejects.toThrow(/terminating connection/);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    await client.end().catch(() => undefined);
    const [row] = await withClient(
      databaseUrl,
      async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'timescaledb'`)).rows,
    );
    expect(row).toEqual({ n: 1 });
  });

  it('starts as plain PostgreSQL, says why and how to fix it once in the log and in /health', async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((line) => line !== ''),
        );
        done();
      },
    });
    t = await createTestApp('postgresql', {
      testDatabase: { engine: 'postgresql', target: { kind: 'url', url: databaseUrl }, dispose: () => Promise.resolve() },
      customize: (builder) =>
        builder
          .overrideProvider(PARAMS_PROVIDER_TOKEN)
          .useValue(logParams({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, { isTTY: false, destination: sink })),
    });

    const response = await request(t.server).get('/health').expect(200);
    expect(response.body.details.database).toMatchObject({
      status: 'up',
      engine: 'postgresql',
      timescaledb: false,
      timescaledbReason: expect.stringContaining('not in shared_preload_libraries'),
      timescaledbFix: expect.stringContaining("shared_preload_libraries = 'timescaledb'"),
      migrationsPending: 0,
    });
    // The plain-PostgreSQL storage path: a BRIN index on time, no extension created.
    const [state] = await withClient(
      databaseUrl,
      async (c) =>
        (
          await c.query(`SELECT (SELECT count(*)::int FROM pg_extension WHERE extname = 'timescaledb') AS extensions,
                              (SELECT count(*)::int FROM pg_indexes WHERE indexname = 'market_data_time_brin') AS brin`)
        ).rows,
    );
    expect(state).toEqual({ extensions: 0, brin: 1 });

    const warnings = logs
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((entry) => entry.msg.includes('TimescaleDB'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].level).toBe(40);
    expect(warnings[0].msg).toContain('not in shared_preload_libraries');
    expect(warnings[0].msg).toContain("shared_preload_libraries = 'timescaledb'");
  });
});

const ROOT = resolve(__dirname, '../../..');
const SERVER_SCRIPT = `
const { EmbeddedPostgresEngine } = require('@app/database');
const engine = new EmbeddedPostgresEngine({ dataDir: process.argv[1], unsafeFastWrites: true });
engine.start().then((url) => console.log(url), (error) => { console.error(error); process.exit(1); });
process.stdin.on('end', () => engine.stop().then(() => process.exit(0)));
process.stdin.resume();`;

/** An embedded PostgreSQL started by a child process; it stops the server when its stdin closes. */
async function startEmbeddedServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', SERVER_SCRIPT, dataDir],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((done, fail) => {
    lines.once('line', done);
    child.once('exit', (code) => fail(new Error(`embedded PostgreSQL helper exited with ${code}`)));
  });
  return { child, url };
}

async function stopEmbeddedServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.stdin?.end();
  await exited;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
