/**
 * The service with data flowing in a minute, no Polygon account needed: starts the fake
 * Polygon (generated bars plus real SPY minutes of January 2011), boots the API against it
 * on its own embedded database (./data/demo unless DATABASE_URL or DATA_DIR say otherwise),
 * tracks a few symbols, ingests them, then keeps fetching fresh crypto minutes.
 *
 *   npm run demo            (then open http://localhost:3000/docs)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { BackfillJobQueue, BackfillScheduler } from '@app/backfill';
import { AppConfigService } from '@app/config';
import type { TimeframeValue } from '@app/core';
import { DatabaseService } from '@app/database';
import { IngestionService } from '@app/ingestion';
import { TrackedSymbolsService } from '@app/market-data';
import { FakePolygonServer } from '@app/polygon/testing';
import { AppModule } from '../apps/api/src/app.module';
import { setupApp } from '../apps/api/src/setup-app';

const DEMO_KEY = 'demo-key';
const MINUTE = 60_000;
const DAY = 86_400_000;
const REFRESH_EVERY_MS = 30_000;
const DEMO_SYMBOLS = [
  ['SPY', ['1m', '1d']],
  ['AAPL', ['1m', '1h', '1d']],
  ['X:BTCUSD', ['1m', '1h']],
] as const satisfies readonly (readonly [string, readonly TimeframeValue[]])[];

interface Job {
  symbol: string;
  timeframe: TimeframeValue;
  from: number;
  to: number;
}

function initialJobs(now: number): Job[] {
  return [
    { symbol: 'SPY', timeframe: '1m', from: Date.UTC(2011, 0, 3, 5), to: Date.UTC(2011, 1, 1, 5) },
    { symbol: 'SPY', timeframe: '1d', from: Date.UTC(2011, 0, 3, 5), to: Date.UTC(2011, 1, 1, 5) },
    { symbol: 'AAPL', timeframe: '1m', from: now - 5 * DAY, to: now },
    { symbol: 'AAPL', timeframe: '1h', from: now - 30 * DAY, to: now },
    { symbol: 'AAPL', timeframe: '1d', from: now - 365 * DAY, to: now },
    { symbol: 'X:BTCUSD', timeframe: '1m', from: now - DAY, to: now },
    { symbol: 'X:BTCUSD', timeframe: '1h', from: now - 30 * DAY, to: now },
  ];
}

async function main(): Promise<void> {
  const logger = new Logger('Demo');
  const fake = await FakePolygonServer.start({ apiKey: DEMO_KEY, rateLimit: { requests: 600 } });
  // The script is an entry point like main.ts: it hands the environment to the config module, plus the demo settings.
  const env = {
    DATA_DIR: './data/demo',
    ...process.env,
    POLYGON_BASE_URL: fake.url,
    POLYGON_API_KEY: DEMO_KEY,
    POLYGON_RATE_LIMIT_PER_MINUTE: '300',
  };
  const app = await NestFactory.create(AppModule.register({ env }), { bufferLogs: true, abortOnError: false });
  setupApp(app);
  app.enableShutdownHooks();
  const config = app.get(AppConfigService);
  await app.listen(config.get('PORT'), config.get('HOST'));
  await app.get(DatabaseService).whenReady();
  const base = `http://localhost:${config.get('PORT')}`;
  logger.log(`Market Data API (demo) listening on ${base}; fake Polygon at ${fake.url}`);

  await trackDemoSymbols(app.get(TrackedSymbolsService, { strict: false }), logger);
  const ingestion = app.get(IngestionService);
  for (const job of initialJobs(Date.now())) await ingestQuietly(ingestion, job, logger);
  // The scheduler keeps the same symbols (history windows, refresh): let its first pass finish,
  // so that its lines come before the block below rather than burying it.
  await app.get(BackfillScheduler).tick();
  await app.get(BackfillJobQueue).whenIdle();

  // Plain text, not a log line: the last thing start-up prints, for a person to read.
  console.log(startupBlock(base));
  const refresh = setInterval(() => {
    const now = Date.now();
    void ingestQuietly(ingestion, { symbol: 'X:BTCUSD', timeframe: '1m', from: now - 10 * MINUTE, to: now }, logger);
  }, REFRESH_EVERY_MS);
  const stop = (): void => {
    clearInterval(refresh);
    void fake.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function startupBlock(base: string): string {
  const tracked = DEMO_SYMBOLS.map(([symbol, timeframes]) => `${symbol} (${timeframes.join(', ')})`).join(', ');
  return [
    '',
    'Market Data API demo is ready. Open:',
    `  API           ${base}/api/v1/symbols`,
    `  Swagger UI    ${base}/docs`,
    `  health        ${base}/health`,
    `  metrics       ${base}/metrics`,
    `  SPY 1m bars   ${base}/api/v1/asset/SPY/candles?timeframe=1m&start=2011-01-03T14:30:00Z&limit=5`,
    `  BTC 1m bars   ${base}/api/v1/asset/X:BTCUSD/candles?timeframe=1m&limit=5`,
    `Tracking ${tracked}; fresh X:BTCUSD minutes every ${REFRESH_EVERY_MS / 1000} s.`,
    'Stop with Ctrl-C.',
    '',
  ].join('\n');
}

async function trackDemoSymbols(symbols: TrackedSymbolsService, logger: Logger): Promise<void> {
  for (const [symbol, timeframes] of DEMO_SYMBOLS) {
    try {
      await symbols.track(symbol, timeframes);
      logger.log(`tracking ${symbol} in ${timeframes.join(', ')}`);
    } catch (error) {
      logger.log(`${symbol}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function ingestQuietly(ingestion: IngestionService, job: Job, logger: Logger): Promise<void> {
  try {
    await ingestion.ingest(job.symbol, job.timeframe, job.from, job.to);
  } catch (error) {
    logger.error(`${job.symbol} ${job.timeframe}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main().catch((error: unknown) => {
  console.error('demo failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
