import { freePort, relayTo, type TcpRelay } from './tcp-relay';
import type { TestDatabase } from './test-database';

/** A PostgreSQL test database reached through a TCP relay that the test cuts and restores. */
export interface RelayedDatabase {
  /** The same database, its URL pointing at the relay: hand it to createTestApp. */
  readonly testDatabase: TestDatabase;
  /** Cuts every connection and stops listening: the database "goes away". */
  cut(): Promise<void>;
  /** Listens again on the same port: the database is back. */
  restore(): Promise<void>;
}

/** `testDatabase` (a URL target) behind a relay on a free port, listening at once. */
export async function relayedDatabase(testDatabase: TestDatabase): Promise<RelayedDatabase> {
  if (testDatabase.target.kind !== 'url') throw new Error('a relay needs a database URL (the postgresql engine)');
  const real = new URL(testDatabase.target.url);
  const port = await freePort();
  const viaRelay = new URL(real);
  viaRelay.port = String(port);
  let relay: TcpRelay | undefined;
  const restore = async (): Promise<void> => {
    relay = relayTo(real);
    await relay.listen(port);
  };
  await restore();
  return {
    testDatabase: { ...testDatabase, target: { kind: 'url', url: viaRelay.toString() } },
    cut: async () => {
      await relay?.close();
      relay = undefined;
    },
    restore,
  };
}
