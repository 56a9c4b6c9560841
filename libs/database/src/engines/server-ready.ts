import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { messageOf, sleep } from '@app/core';

/**
 * Waits until the PostgreSQL server `server` (a child started from the embedded binaries) answers
 * SELECT 1 at `url`. Fails naming `what`, with the last connection error and the tail of `logFile`,
 * when the server exits first or `timeoutMs` pass.
 */
export async function waitUntilAccepting(
  what: string,
  url: string,
  server: ChildProcess,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && server.exitCode === null && server.signalCode === null) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      lastError = error;
      await sleep(50);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(`${what} did not start: ${lastError === undefined ? 'the server exited' : messageOf(lastError)}\n${tail}`);
}
