import { Test } from '@nestjs/testing';
import { ScheduleModule } from '@nestjs/schedule';
import { Client } from 'pg';
import { AppConfigModule, type Env } from '@app/config';
import { DatabaseModule, DatabaseService, EmbeddedPostgresEngine } from '@app/database';
import { BackfillModule, BackfillService } from '@app/backfill';
import { POLYGON_TUNING, PolygonModule, type PolygonTuning } from '@app/polygon';
import { ENTITIES, MIGRATIONS } from '../migrations';

/** The figures of the issue: 10 symbols, 30 days of 1m bars, 60 requests per minute. */
export const BENCH_SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'AMD', 'INTC', 'NFLX'];
export const BENCH_TO = Date.parse('2024-03-01T00:00:00Z');
export const BENCH_FROM = BENCH_TO - 30 * 86_400_000;
export const BENCH_RATE_PER_MINUTE = 60;

/** Settings shared by the in-process run and the CLI processes. */
export function benchEnv(databaseUrl: string, fakeUrl: string): Env {
  return {
    DATABASE_URL: databaseUrl,
    POLYGON_API_KEY: 'test-key',
    POLYGON_BASE_URL: fakeUrl,
    POLYGON_RATE_LIMIT_PER_MINUTE: String(BENCH_RATE_PER_MINUTE),
    LOG_LEVEL: 'warn',
  };
}

/** BackfillService on a database, no HTTP, no scheduler: what the CLI runs. */
export async function backfillContext(
  env: Env,
  tuning: Partial<PolygonTuning> = {},
): Promise<{ service: BackfillService; database: DatabaseService; close(): Promise<void> }> {
  const module = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(env),
      ScheduleModule.forRoot(),
      DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
      PolygonModule,
      BackfillModule.forRoot({ scheduling: false }),
    ],
  })
    .overrideProvider(POLYGON_TUNING)
    .useValue(tuning)
    .compile();
  module.useLogger(['error', 'warn']);
  await module.init();
  const database = module.get(DatabaseService);
  await database.whenReady();
  return { service: module.get(BackfillService), database, close: () => module.close() };
}

/** A second database on the same server as `url`. */
export async function siblingDatabase(url: string, name: string): Promise<string> {
  const server = new URL(url);
  server.pathname = '/postgres';
  return EmbeddedPostgresEngine.ensureDatabase(server.toString(), name);
}

/** Row count and a digest of every market_data row in key order: equal digests, equal tables. */
export async function tableDigest(url: string): Promise<{ rows: number; md5: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ rows: string; md5: string }>(
      `SELECT count(*) AS rows, md5(coalesce(string_agg(concat_ws(',', symbol, timeframe, (extract(epoch FROM time) * 1000)::bigint,
         open, high, low, close, volume, vwap, trades), ';' ORDER BY symbol, timeframe, time), '')) AS md5 FROM market_data`,
    );
    return { rows: Number(rows[0].rows), md5: rows[0].md5 };
  } finally {
    await client.end();
  }
}
