/**
 * The write side of bench/replicas.ts, in its own process: CandleRepository.upsertMany (the path
 * every backfill page takes: COPY into staging, then MERGE) against DATABASE_URL. Commands over IPC:
 *   seed   one year of 1m bars of a symbol (the bars the readers read)
 *   start  write years of 1m bars back to back, as a backfill does, until `stop`; each pass revises
 *          every price of one of four symbols, so every row is rewritten (WAL to replay) without the
 *          table growing without bound
 *   stop   answers how many rows were written and for how long
 */
import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { AppConfigModule } from '@app/config';
import type { Candle } from '@app/core';
import { DatabaseModule, DatabaseService } from '@app/database';
import { CandleRepository, MarketDataModule } from '@app/market-data';
import { ENTITIES, MIGRATIONS } from '../migrations';
import { syntheticMinuteYear } from './support/synthetic-bars';

export type WriterCommand = { kind: 'seed'; symbol: string; year: number } | { kind: 'start' } | { kind: 'stop' };

export type WriterReply =
  | { kind: 'ready' }
  | { kind: 'seeded'; bars: number }
  | { kind: 'started' }
  | { kind: 'stopped'; rows: number; seconds: number }
  | { kind: 'error'; message: string };

const WRITE_SYMBOLS = ['W0', 'W1', 'W2', 'W3'];

async function main(): Promise<void> {
  const module = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot({ DATABASE_URL: process.argv[2], LOG_LEVEL: 'warn' }),
      DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
      MarketDataModule,
    ],
  }).compile();
  await module.init();
  await module.get(DatabaseService).whenReady();
  const repository = module.get(CandleRepository);
  const years = WRITE_SYMBOLS.map((symbol) => syntheticMinuteYear(symbol, 2022));
  let writing: Promise<{ rows: number; seconds: number }> | undefined;
  let running = false;

  const writeLoop = async (): Promise<{ rows: number; seconds: number }> => {
    const started = performance.now();
    let rows = 0;
    for (let pass = 1; running; pass++) {
      const year = years[pass % years.length];
      rows += await repository.upsertMany(revised(year, pass));
    }
    return { rows, seconds: (performance.now() - started) / 1000 };
  };

  process.on('message', (command: WriterCommand) => {
    const handle = async (): Promise<WriterReply> => {
      if (command.kind === 'seed') {
        const bars = syntheticMinuteYear(command.symbol, command.year);
        await repository.upsertMany(bars);
        return { kind: 'seeded', bars: bars.length };
      }
      if (command.kind === 'start') {
        running = true;
        writing = writeLoop();
        return { kind: 'started' };
      }
      running = false;
      const done = await (writing ?? Promise.resolve({ rows: 0, seconds: 0 }));
      return { kind: 'stopped', ...done };
    };
    handle().then(reply, (error: unknown) =>
      reply({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => void module.close().then(() => process.exit(0)));
  reply({ kind: 'ready' });
}

/** The same bars with every price moved by a cent per pass: a revision the MERGE must write. */
function revised(bars: readonly Candle[], pass: number): Candle[] {
  const shift = (pass % 100) / 100;
  return bars.map((bar) => ({ ...bar, open: bar.open + shift, high: bar.high + shift, low: bar.low + shift, close: bar.close + shift }));
}

function reply(message: WriterReply): void {
  process.send?.(message);
}

main().catch((error: unknown) => {
  reply({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
