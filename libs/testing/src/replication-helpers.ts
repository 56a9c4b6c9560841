import { sleep } from '@app/core';
import type { TestDatabase } from './test-database';

/** A database the test owns (a ReplicationCluster's), as createTestApp takes it; disposing it is the cluster's job. */
export function databaseAt(url: string): TestDatabase {
  return { engine: 'postgresql', target: { kind: 'url', url }, dispose: () => Promise.resolve() };
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
