/**
 * Runs the whole API in this process against a fake Polygon and prints what an operator
 * would see, so a test can read EVERYTHING the process wrote (pino writes to fd 1 directly,
 * past process.stdout.write, hence a child process). Used by apps/api/test/ingestion-*.e2e-spec.ts.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     apps/api/test/support/app-output.scenario.ts keyless faults
 *
 * Runs the scenarios named, one app each, in one process (one ts-node start-up is the costly
 * part). Reads SCENARIO_DATABASE_URL (a migrated or empty database) and, for `faults`,
 * SCENARIO_API_KEY.
 */
import 'reflect-metadata';
import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DatabaseService } from '@app/database';
import { IngestionService, IngestionStatus } from '@app/ingestion';
import { METRICS_REGISTRY } from '@app/metrics';
import { POLYGON_TUNING } from '@app/polygon';
import { FakePolygonServer, type FaultKind, polygonCounts } from '@app/polygon/testing';
import { AppModule } from '../../src/app.module';
import { setupApp } from '../../src/setup-app';

type Scenario = 'keyless' | 'faults';

async function main(): Promise<void> {
  const scenarios = process.argv.slice(2);
  if (!scenarios.length || !scenarios.every((s): s is Scenario => s === 'keyless' || s === 'faults')) {
    throw new Error('usage: app-output.scenario.ts keyless|faults [...]');
  }
  for (const scenario of scenarios) await run(scenario);
  process.stdout.write('SCENARIO DONE\n');
}

async function run(scenario: Scenario): Promise<void> {
  process.stdout.write(`SCENARIO ${scenario}\n`);
  const databaseUrl = required('SCENARIO_DATABASE_URL');
  const apiKey = scenario === 'faults' ? required('SCENARIO_API_KEY') : undefined;
  const fake = await FakePolygonServer.start({ apiKey: apiKey ?? 'unused-key', maxLimit: 2_000, retryAfterSeconds: 0 });
  const env = {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'trace',
    POLYGON_BASE_URL: fake.url,
    POLYGON_TIMEOUT_MS: '400',
    POLYGON_MAX_RETRIES: '3',
    POLYGON_RATE_LIMIT_PER_MINUTE: '100000',
    ...(apiKey ? { POLYGON_API_KEY: apiKey } : {}),
  };
  const module = await Test.createTestingModule({ imports: [AppModule.register({ env })] })
    .overrideProvider(POLYGON_TUNING)
    .useValue({ backoffBaseMs: 10, backoffMaxMs: 40 })
    .compile();
  const app = setupApp(module.createNestApplication({ bufferLogs: true }));
  await app.listen(0, '127.0.0.1');
  await app.get(DatabaseService).whenReady();
  report('ingestion status', app.get(IngestionStatus).toJSON());
  report('health', await httpGet(app, '/health'));
  report('unknown route', await httpGet(app, '/api/v1/nothing'));

  const ingestion = app.get(IngestionService);
  if (scenario === 'keyless') {
    await attempt('ingest without a key', () => ingestion.ingest('AAPL', '1m', Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)));
  } else {
    const day = { from: Date.UTC(2024, 0, 2), to: Date.UTC(2024, 0, 5) };
    // Eight sessions in pages of 2000 bars: four pages, each after up to two faults (POLYGON_MAX_RETRIES=3).
    const faults: (FaultKind | null)[] = [
      'rate-limit',
      'server-error',
      null,
      'bad-gateway',
      'reset',
      null,
      'hang',
      'truncated-json',
      null,
      'garbage',
      null,
    ];
    fake.faults.enqueue(...faults);
    await attempt('ingest through faults', () => ingestion.ingest('AAPL', '1m', Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 12)));
    fake.faults.clear();
    fake.faults.enqueue('not-authorized');
    await attempt('403', () => ingestion.ingest('MSFT', '1h', day.from, day.to));
    fake.faults.clear();
    fake.faults.enqueue('not-found');
    await attempt('404', () => ingestion.ingest('MSFT', '1d', day.from, day.to));
    fake.faults.clear();
    fake.faults.enqueue('ohlc-violation');
    await attempt('invalid bar', () => ingestion.ingest('X:BTCUSD', '1h', day.from, day.to));
    fake.faults.clear();
    fake.faults.enqueue('server-error', 'hang', 'reset', 'server-error');
    await attempt('retries exhausted', () => ingestion.ingest('X:BTCUSD', '1m', day.from, day.to));
    fake.faults.clear();
    fake.faults.enqueue('rate-limit', 'rate-limit', 'rate-limit', 'rate-limit');
    await attempt('rate limited', () => ingestion.ingest('X:ETHUSD', '1m', day.from, day.to));
    fake.faults.clear();
    fake.faults.enqueue('garbage', 'truncated-json', 'garbage', 'garbage');
    await attempt('unreadable', () => ingestion.ingest('X:ETHUSD', '5m', day.from, day.to));
    const registry = app.get<Registry>(METRICS_REGISTRY);
    report('polygon counts', await polygonCounts(registry));
    report('metrics', await registry.getMetricsAsJSON());
    process.stdout.write(`${await registry.metrics()}\n`);
  }
  report('fake provider', { requests: fake.requestCount, statuses: fake.requests.map((r) => r.status) });
  await app.close();
  await fake.stop();
}

async function attempt(label: string, work: () => Promise<unknown>): Promise<void> {
  try {
    report(label, await work());
  } catch (error) {
    // Everything an error carries, hidden properties and causes included: it must hold no secret.
    process.stdout.write(`${label} failed: ${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error)}\n`);
  }
}

async function httpGet(app: INestApplication, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${await app.getUrl()}${path}`.replace('[::1]', '127.0.0.1'));
  return { status: response.status, body: await response.text() };
}

function report(label: string, value: unknown): void {
  process.stdout.write(`${label}: ${JSON.stringify(value)}\n`);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`scenario failed: ${inspect(error)}\n`);
  process.exit(1);
});
