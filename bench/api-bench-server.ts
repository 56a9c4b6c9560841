/**
 * The API under test, in its own process so the load generator does not share its
 * event loop. Started by bench/api-candles.ts with its settings as JSON; takes commands over IPC:
 *   seed        one year of 1m bars for SPY through CandleRepository.upsertMany
 *   repository  CandleRepository.findRange of one query, timed, at a given concurrency
 *   answer      CandleAnswers.answer of the same window (everything but HTTP: with the cache off,
 *               the miss path of resolve, source choice, read and serialisation), timed
 *   cpu         CPU time this process has used so far (user + system), for cost per request
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DatabaseService } from '@app/database';
import { CandleRangeQuery } from '@app/core';
import { CandleAnswers, CandleRepository } from '@app/market-data';
import { AppModule } from '../apps/api/src/app.module';
import { setupApp } from '../apps/api/src/setup-app';
import { syntheticMinuteYear } from './support/synthetic-bars';

export type BenchCommand =
  | { kind: 'seed'; symbol: string; year: number }
  | { kind: 'repository' | 'answer'; query: CandleRangeQuery; seconds: number; concurrency: number }
  | { kind: 'cpu' };

export type BenchReply =
  | { kind: 'listening'; port: number }
  | { kind: 'seeded'; bars: number; first: number; last: number; ms: number }
  | { kind: 'timed'; latenciesMs: number[]; seconds: number }
  | { kind: 'cpu'; micros: number }
  | { kind: 'error'; message: string };

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2]) as Record<string, string>;
  const env = {
    LOG_LEVEL: 'warn',
    // The limiter stays on (its cost is part of every request) but never refuses the load generator.
    RATE_LIMIT_PER_MINUTE: '1000000',
    CANDLES_PAGE_SIZE: '10000',
    ...settings,
  };
  const app = await NestFactory.create(AppModule.register({ env }), { bufferLogs: true });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  await app.get(DatabaseService).whenReady();
  const address = app.getHttpServer().address() as { port: number };
  reply({ kind: 'listening', port: address.port });

  process.on('message', (command: BenchCommand) => {
    run(app.get(CandleRepository), app.get(CandleAnswers), command).then(reply, (error: unknown) =>
      reply({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

function reply(message: BenchReply): void {
  process.send?.(message);
}

async function run(repository: CandleRepository, answers: CandleAnswers, command: BenchCommand): Promise<BenchReply> {
  if (command.kind === 'seed') return seed(repository, command.symbol, command.year);
  if (command.kind === 'cpu') {
    const usage = process.cpuUsage();
    return { kind: 'cpu', micros: usage.user + usage.system };
  }
  const { query } = command;
  const once =
    command.kind === 'repository'
      ? () => repository.findRange(query)
      : () =>
          answers.answer({
            candles: { symbol: query.symbol, timeframe: query.timeframe, start: query.start, end: query.end, limit: query.limit - 1 },
            format: 'json',
          });
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
