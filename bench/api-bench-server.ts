/**
 * The API under test, in its own process so the load generator does not share its
 * event loop. Started by bench/api-candles.ts; takes commands over IPC:
 *   seed              one year of 1m bars for SPY through CandleRepository.upsertMany
 *   repository        CandleRepository.findRange of one query, timed, at a given concurrency
 *   service           CandlesService.page + JSON body + JSON.stringify (everything but HTTP), timed
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { DatabaseService } from '@app/database';
import { CandleRangeQuery } from '@app/core';
import { CandleRepository, CandlesService } from '@app/market-data';
import { toCandlesPageBody } from '@app/market-data/testing';
import { AppModule } from '../apps/api/src/app.module';
import { AllExceptionsFilter, createValidationPipe } from '@app/http';
import { setupApp } from '../apps/api/src/setup-app';
import { syntheticMinuteYear } from './support/synthetic-bars';

export type Adapter = 'express' | 'fastify';

export type BenchCommand =
  | { kind: 'seed'; symbol: string; year: number }
  | { kind: 'repository' | 'service'; query: CandleRangeQuery; seconds: number; concurrency: number };

export type BenchReply =
  | { kind: 'listening'; port: number }
  | { kind: 'seeded'; bars: number; first: number; last: number; ms: number }
  | { kind: 'timed'; latenciesMs: number[]; seconds: number }
  | { kind: 'error'; message: string };

async function main(): Promise<void> {
  const [adapter, databaseUrl] = process.argv.slice(2) as [Adapter, string];
  const env = {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    // The limiter stays on (its cost is part of every request) but never refuses the load generator.
    RATE_LIMIT_PER_MINUTE: '1000000',
    CANDLES_PAGE_SIZE: '10000',
  };
  const module = AppModule.register({ env });
  const app: INestApplication =
    adapter === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter({ bodyLimit: 1_048_576 }), { bufferLogs: true })
      : await NestFactory.create(module, { bufferLogs: true });
  if (adapter === 'fastify') {
    // setupApp's Swagger UI needs @fastify/static (not installed); everything on the request path is the same.
    app.useLogger(app.get(Logger));
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new AllExceptionsFilter());
  } else {
    setupApp(app);
  }
  await app.listen(0, '127.0.0.1');
  await app.get(DatabaseService).whenReady();
  const address = app.getHttpServer().address() as { port: number };
  reply({ kind: 'listening', port: address.port });

  process.on('message', (command: BenchCommand) => {
    run(app, command).then(reply, (error: unknown) =>
      reply({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

function reply(message: BenchReply): void {
  process.send?.(message);
}

async function run(app: INestApplication, command: BenchCommand): Promise<BenchReply> {
  if (command.kind === 'seed') return seed(app.get(CandleRepository), command.symbol, command.year);
  const candles = app.get(CandlesService);
  const repository = app.get(CandleRepository);
  const { query } = command;
  const once =
    command.kind === 'repository'
      ? () => repository.findRange(query)
      : async () => {
          const page = await candles.page({
            symbol: query.symbol,
            timeframe: query.timeframe,
            start: query.start,
            end: query.end,
            limit: query.limit,
          });
          return JSON.stringify(toCandlesPageBody(page));
        };
  return timed(once, command.seconds, command.concurrency);
}

async function timed(once: () => Promise<unknown>, seconds: number, concurrency: number): Promise<BenchReply> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await once();
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { kind: 'timed', latenciesMs, seconds: (performance.now() - started) / 1000 };
}

/** A year of extended-hours 1m bars (252 days x 960 = 241,920), the same generator the other benches use. */
async function seed(repository: CandleRepository, symbol: string, year: number): Promise<BenchReply> {
  const t0 = performance.now();
  const bars = syntheticMinuteYear(symbol, year);
  await repository.upsertMany(bars);
  return { kind: 'seeded', bars: bars.length, first: bars[0].time, last: bars[bars.length - 1].time, ms: performance.now() - t0 };
}

main().catch((error: unknown) => {
  reply({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
