import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsOptional, IsString } from 'class-validator';
import { TIMEFRAME_VALUES } from '@app/core';
import { DOC_PLACEHOLDERS, INSTANT_FORMATS, IsInstantInput, SeriesFilterQuery } from '@app/http';

const JOB_STATES = ['pending', 'running', 'done', 'retrying', 'failed', 'stopped', 'halted'] as const;

/** Body of POST /api/v1/symbol/{symbol}/backfill. */
export class BackfillRequestDto {
  @ApiPropertyOptional({
    type: 'string',
    isArray: true,
    enum: TIMEFRAME_VALUES,
    example: ['1m'],
    description: `Timeframes to backfill; each must be tracked for the symbol (default: all its tracked timeframes). ${DOC_PLACEHOLDERS.supportedTimeframes}.`,
  })
  @IsOptional()
  @IsArray({ message: 'must be an array of timeframes' })
  @ArrayNotEmpty({ message: 'must list at least one timeframe' })
  @IsString({ each: true, message: 'must hold only strings' })
  @ArrayUnique({ message: 'must not list a timeframe twice' })
  timeframes?: string[];

  @ApiPropertyOptional({
    description: `Start of the range, inclusive: ${INSTANT_FORMATS}. Default: the start of the history window (BACKFILL_WINDOWS). Earlier than the window extends the history kept.`,
    example: '2024-01-02',
    oneOf: [{ type: 'string' }, { type: 'integer' }],
  })
  @IsOptional()
  @IsInstantInput()
  from?: string | number;

  @ApiPropertyOptional({
    description: `End of the range, exclusive: ${INSTANT_FORMATS}. Default (and at most): now.`,
    example: '2024-02-01T00:00:00Z',
    oneOf: [{ type: 'string' }, { type: 'integer' }],
  })
  @IsOptional()
  @IsInstantInput()
  to?: string | number;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    example: true,
    description:
      'Read the whole range (`from`/`to`, or the history window) from the provider again, even the parts already fetched, ' +
      'and overwrite the stored bars with what it sends now. Use it to repair data after the provider corrected bars ' +
      '(late corrections, a fixed split adjustment); it costs provider requests (one per window, under the rate limit), ' +
      'so keep the range small. Without it, ranges already fetched are skipped. A restart resumes the re-read; ' +
      'the job shows `force: true` until it is done.',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

/** Query of GET /api/v1/backfill/jobs. */
/** Filters of GET /api/v1/backfill/jobs. */
export class BackfillJobsQueryDto extends SeriesFilterQuery {}

export class TimeRangeDto {
  @ApiProperty({ example: '2024-01-02T09:00:00.000Z' })
  start!: string;

  @ApiProperty({ example: '2024-02-01T00:00:00.000Z', description: 'Exclusive' })
  end!: string;
}

export class JobKeyDto {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ enum: TIMEFRAME_VALUES, example: '1m' })
  timeframe!: string;
}

export class JobStatusDto extends JobKeyDto {
  @ApiProperty({
    example: true,
    description: 'Whether tracked_symbols lists this timeframe for a symbol that is not paused; other jobs do not run on their own',
  })
  tracked!: boolean;

  @ApiProperty({
    enum: JOB_STATES,
    example: 'done',
    description:
      'pending: has work, waits for its turn; running: an instance is fetching; done: history complete, refreshed on its cadence; ' +
      'retrying: failed, runs again at nextRunAt; failed: stopped for good (provider 404, or too many failures in a row) until POST .../backfill; ' +
      'stopped: no longer tracked; halted: the provider refused the API key, every job stopped',
  })
  state!: string;

  @ApiProperty({ example: 100, description: 'Share of the target fetched and final, 0-100' })
  progressPercent!: number;

  @ApiProperty({
    type: [TimeRangeDto],
    description: 'What the job keeps: its history window (BACKFILL_WINDOWS) plus ranges asked for by hand, up to the newest final bar',
  })
  target!: TimeRangeDto[];

  @ApiProperty({ type: [TimeRangeDto], description: 'Ranges fetched and final (the persisted checkpoint)' })
  covered!: TimeRangeDto[];

  @ApiProperty({ example: false, description: 'A forced backfill (`force: true`) is not finished: `forced` is still to be read again' })
  force!: boolean;

  @ApiProperty({ type: [TimeRangeDto], description: 'Ranges a forced backfill still reads again from the provider, although covered' })
  forced!: TimeRangeDto[];

  @ApiProperty({ example: 20160, description: 'Bars received, all runs' })
  bars!: number;

  @ApiProperty({ example: 1, description: 'Provider requests sent, all runs (retries included)' })
  requests!: number;

  @ApiProperty({ example: 0, description: 'Runs that ended in an error, all time' })
  errors!: number;

  @ApiPropertyOptional({ example: 'provider has no aggregates for ZZZZ: NOT_FOUND' })
  lastError?: string;

  @ApiPropertyOptional({ example: 'api-7f9c:4127', description: 'Instance running it now' })
  runningOn?: string;

  @ApiPropertyOptional({ example: '2024-02-01T15:04:00.000Z', description: 'Last re-read of the recent window' })
  refreshedAt?: string;

  @ApiPropertyOptional({ example: '2024-02-01T15:03:58.000Z' })
  lastStartedAt?: string;

  @ApiPropertyOptional({ example: '2024-02-01T15:04:00.000Z' })
  lastFinishedAt?: string;

  @ApiPropertyOptional({
    example: '2024-02-01T15:05:00.000Z',
    description: 'Next run (refresh or backfill); absent when it will not run on its own',
  })
  nextRunAt?: string;
}

export class HaltDto {
  @ApiProperty({ example: 'provider refused the request (403): The API key provided is not authorized.' })
  reason!: string;

  @ApiProperty({ example: '2024-02-01T15:04:00.000Z' })
  since!: string;
}

export class SchedulerStatusDto {
  @ApiProperty({ example: true, description: 'This instance schedules jobs (BACKFILL_ENABLED and POLYGON_API_KEY set)' })
  enabled!: boolean;

  @ApiProperty({ example: true })
  ingestionEnabled!: boolean;

  @ApiPropertyOptional({ example: 'POLYGON_API_KEY is not set', description: 'Why ingestion is off' })
  reason?: string;

  @ApiProperty({ example: false, description: 'The database went away; jobs resume when it returns' })
  paused!: boolean;

  @ApiPropertyOptional({
    type: HaltDto,
    description: 'Present when the provider refused the API key: no job runs until a new key (restart) or an explicit POST .../backfill',
  })
  halted?: HaltDto;

  @ApiProperty({ example: 15 })
  tickSeconds!: number;

  @ApiProperty({ example: 4, description: 'Jobs this instance runs at once' })
  concurrency!: number;

  @ApiProperty({ example: 'api-7f9c:4127' })
  instance!: string;

  @ApiProperty({ type: [JobKeyDto], description: 'Jobs running on this instance now' })
  runningHere!: JobKeyDto[];
}

export class BackfillJobsDto {
  @ApiProperty({ type: SchedulerStatusDto })
  scheduler!: SchedulerStatusDto;

  @ApiProperty({ type: [JobStatusDto], description: 'Ordered by symbol, then timeframe (shortest first)' })
  jobs!: JobStatusDto[];
}

export class BackfillAcceptedDto {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ example: false, description: 'The request was forced: covered ranges are read again' })
  force!: boolean;

  @ApiProperty({ type: [JobStatusDto], description: 'The jobs asked for, as they stand right after the request' })
  jobs!: JobStatusDto[];
}
