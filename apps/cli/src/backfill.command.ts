import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfigModule } from '@app/config';
import { DatabaseModule, DatabaseService } from '@app/database';
import { BackfillModule, BackfillService, type JobKey, type JobProgress, type JobRunReport } from '@app/backfill';
import { PolygonModule } from '@app/polygon';
import { BACKFILL_USAGE, type BackfillCliArgs, CliUsageError, parseBackfillArgs } from './backfill-cli.args';
import { ProgressBar } from './progress-bar';
import { ENTITIES, MIGRATIONS } from '../../../migrations';

/**
 * `backfill AAPL --timeframe 1m --from 2024-01-01`: the same BackfillService the
 * API uses, in a Nest application context (no HTTP, no scheduler), with a progress bar.
 * Killed at any point, running it again resumes from the checkpoints.
 */
@Module({})
class BackfillCliModule {
  static register(): DynamicModule {
    return {
      module: BackfillCliModule,
      imports: [
        AppConfigModule.forRoot(),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot({ entities: ENTITIES, migrations: MIGRATIONS }),
        PolygonModule,
        BackfillModule.forRoot({ scheduling: false }),
      ],
    };
  }
}

const DATABASE_WAIT_MS = 60_000;
export const EXIT_USAGE = 2;

/** `backfill SYMBOL... [--timeframe ...]`: exit 0 when every job is done, 1 when one is not, 2 on bad arguments. */
export async function backfillCommand(argv: readonly string[]): Promise<number> {
  let args: BackfillCliArgs;
  try {
    const parsed = parseBackfillArgs(argv);
    if (parsed.help) {
      console.log(BACKFILL_USAGE);
      return 0;
    }
    args = parsed.args;
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`backfill: ${error.message}\n\n${BACKFILL_USAGE}`);
    return EXIT_USAGE;
  }

  const app = await NestFactory.createApplicationContext(BackfillCliModule.register(), { logger: ['error', 'warn'], abortOnError: false });
  app.enableShutdownHooks();
  try {
    await waitForDatabase(app.get(DatabaseService));
    const bar = new ProgressBar(process.stderr);
    const progress = new OverallProgress();
    const started = performance.now();
    const reports = await app.get(BackfillService).run({
      ...args,
      onPlanned: (jobs) => progress.plan(jobs),
      onProgress: (p) => bar.update(progress.update(p), progress.describe(p)),
    });
    bar.finish();
    for (const report of reports) console.log(describeReport(report));
    const failed = reports.filter((r) => r.outcome !== 'done');
    console.log(
      `${reports.length - failed.length} of ${reports.length} job(s) done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return failed.length ? 1 : 0;
  } finally {
    await app.close();
  }
}

async function waitForDatabase(database: DatabaseService): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database is not reachable after ${DATABASE_WAIT_MS / 1000} s`)), DATABASE_WAIT_MS);
  });
  try {
    await Promise.race([database.whenReady(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The bar's fraction: the mean progress of all planned jobs (a job not started yet counts as 0). */
class OverallProgress {
  private readonly percents = new Map<string, number>();
  private bars = 0;
  private requests = 0;
  private readonly totals = new Map<string, { bars: number; requests: number }>();
  private jobs = 1;

  plan(jobs: readonly JobKey[]): void {
    this.jobs = Math.max(1, jobs.length);
  }

  update(progress: JobProgress): number {
    const name = `${progress.symbol} ${progress.timeframe}`;
    this.percents.set(name, progress.progressPercent);
    this.totals.set(name, { bars: progress.bars, requests: progress.requests });
    this.bars = [...this.totals.values()].reduce((sum, t) => sum + t.bars, 0);
    this.requests = [...this.totals.values()].reduce((sum, t) => sum + t.requests, 0);
    const values = [...this.percents.values()];
    return values.reduce((sum, p) => sum + p, 0) / Math.max(this.jobs, values.length) / 100;
  }

  describe(progress: JobProgress): string {
    return `${progress.symbol} ${progress.timeframe} window ${progress.chunksDone}/${progress.chunksPlanned}  ${this.bars.toLocaleString('en-US')} bars  ${this.requests} requests`;
  }
}

function describeReport(report: JobRunReport): string {
  return (
    `${report.symbol} ${report.timeframe} ${report.outcome}: ${report.requests} request(s), ${report.bars.toLocaleString('en-US')} bar(s), ` +
    `${report.progressPercent}% of the range fetched${report.forced ? ', forced re-read' : ''}${report.error ? `; ${report.error}` : ''}`
  );
}
