import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { TestDatabase, openTestDatabase } from '@app/testing';

/**
 * The whole API runs in a child process (apps/api/test/support/app-output.scenario.ts) so that
 * every byte it writes is captured: pino writes to fd 1 directly, past process.stdout.write.
 */
const ROOT = join(__dirname, '../../..');
const SCENARIO = join(ROOT, 'apps/api/test/support/app-output.scenario.ts');
const KEY = 'pk_live_Secret0123456789abcdefXYZ';

async function runScenarios(databaseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', SCENARIO, 'keyless', 'faults'],
      {
        cwd: ROOT,
        env: { ...process.env, TZ: 'UTC', SCENARIO_DATABASE_URL: databaseUrl, SCENARIO_API_KEY: KEY },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        if (error) reject(new Error(`scenarios failed: ${error.message}\n${output.slice(-4000)}`));
        else resolve(output);
      },
    );
  });
}

describe('ingestion as an operator sees it (whole API, all output captured)', () => {
  let testDatabase: TestDatabase;
  /** Everything the child wrote: first the app without a key, then with one and faults injected. */
  let output: string;
  let keyless: string;

  beforeAll(async () => {
    testDatabase = await openTestDatabase('postgresql');
    if (testDatabase.target.kind !== 'url') throw new Error('expected a PostgreSQL URL');
    output = await runScenarios(testDatabase.target.url);
    keyless = output.slice(output.indexOf('SCENARIO keyless'), output.indexOf('SCENARIO faults'));
  }, 120_000);

  afterAll(() => testDatabase.dispose());

  it('without POLYGON_API_KEY the API starts, serves, and says ingestion is off and how to turn it on', () => {
    expect(output).toContain('SCENARIO DONE');
    // Log lines are written asynchronously, so they are looked for in the whole output.
    expect(output).toMatch(
      /ingestion is off: POLYGON_API_KEY is not set; stored data is still served\. To turn it on, set POLYGON_API_KEY/,
    );
    expect(keyless).toContain('ingestion status: {"enabled":false,"provider":"polygon","reason":"POLYGON_API_KEY is not set"');
    expect(keyless).toMatch(/health: \{"status":200/);
    expect(keyless).toMatch(/ingest without a key failed: IngestionDisabledError: ingestion is off: POLYGON_API_KEY is not set/);
    expect(keyless).toContain('fake provider: {"requests":0');
  });

  it('with faults injected, nothing the process prints holds the API key', () => {
    // The run went through what it should have: retries of every kind, typed failures, metrics.
    expect(output).toMatch(/ingest through faults: \{"symbol":"AAPL","timeframe":"1m".*"requests":11,"pages":4,.*"written":[1-9]/);
    for (const evidence of [
      '429 You',
      '500 Internal server error',
      'connection reset (ECONNRESET)',
      'timeout (',
      'not JSON',
      'ProviderNotAuthorizedError',
      'You are not entitled to this data',
      'ProviderNotFoundError',
      'ProviderBadPayloadError',
      'is below max(open, close)',
      'ProviderUnavailableError',
      'ProviderRateLimitedError',
      'polygon_requests_total{outcome="rate_limited"}',
      'polygon_retries_total',
      // pino-http's request log line: the logger's own output is in the capture too.
      '"statusCode":404',
    ]) {
      expect(output).toContain(evidence);
    }
    expect(output.split('\n').length).toBeGreaterThan(60);
    // The key, in any form it could take on the wire or in a dump.
    for (const form of [KEY, Buffer.from(KEY).toString('base64'), encodeURIComponent(KEY), KEY.slice(8)]) {
      expect(output).not.toContain(form);
    }
  });
});
