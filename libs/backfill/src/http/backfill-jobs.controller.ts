import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AppConfigService } from '@app/config';
import { BackfillStatusService, JobStatus } from '../backfill-status.service';
import { BackfillService } from '../backfill.service';
import { iso, type TimeRange } from '@app/core';
import { BackfillAcceptedDto, BackfillJobsDto, BackfillJobsQueryDto, BackfillRequestDto, JobStatusDto, TimeRangeDto } from './backfill.dto';
import {
  ApiErrors,
  BAD_SERIES_FILTER,
  DATABASE_DOWN,
  DOC_PLACEHOLDERS,
  NoQuery,
  RATE_LIMITED,
  READ_KEY_ERRORS,
  SymbolParams,
  WRITE_KEY_ERRORS,
  instantOf,
} from '@app/http';

@ApiTags('backfill')
@ApiSecurity('api-key')
@Controller('api/v1')
export class BackfillJobsController {
  constructor(
    private readonly backfill: BackfillService,
    private readonly status: BackfillStatusService,
    private readonly config: AppConfigService,
  ) {}

  @Get('backfill/jobs')
  @ApiOperation({
    summary: 'Backfill and refresh jobs',
    description:
      'One job per tracked symbol and timeframe (plus jobs asked for by hand): state, progress, bars, requests, errors and next run, ' +
      'read from the shared checkpoints, so every instance answers the same. The `scheduler` part is about the instance that answers. ' +
      `${DOC_PLACEHOLDERS.supportedTimeframes}.`,
  })
  @ApiOkResponse({ type: BackfillJobsDto })
  @ApiErrors(BAD_SERIES_FILTER, ...READ_KEY_ERRORS, RATE_LIMITED, DATABASE_DOWN)
  async jobs(@Query() query: BackfillJobsQueryDto): Promise<BackfillJobsDto> {
    const timeframe = query.timeframe === undefined ? undefined : this.config.parseTimeframe(query.timeframe).value;
    const jobs = await this.status.jobs({ symbol: query.symbol, timeframe });
    return { scheduler: this.status.schedulerStatus(), jobs: jobs.map(toJobStatusDto) };
  }

  @Post('symbol/:symbol/backfill')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Backfill a tracked symbol now',
    description:
      'Makes the jobs of the symbol (all its tracked timeframes, or those given) due now and starts them on this instance; ' +
      'the answer comes at once (202) and GET /api/v1/backfill/jobs shows the progress. With `from`/`to` the range is recorded, ' +
      'so history beyond BACKFILL_WINDOWS is fetched and kept, and a restart resumes it. Ranges already fetched are not fetched again, ' +
      'unless `force` is true: then the whole range is read again and revised bars overwrite the stored ones (repairs after a provider correction). ' +
      `A failed job (e.g. provider 404) is tried again. ${DOC_PLACEHOLDERS.supportedTimeframes}. Needs X-API-Key when API keys are configured.`,
  })
  @ApiBody({
    type: BackfillRequestDto,
    required: false,
    examples: {
      oneMinute: { summary: 'One year of 1m bars', value: { timeframes: ['1m'], from: '2024-01-01', to: '2025-01-01' } },
      everything: { summary: 'All tracked timeframes over their windows', value: {} },
      repair: {
        summary: 'Read one day again after a provider correction',
        value: { timeframes: ['1m'], from: '2024-03-06', to: '2024-03-07', force: true },
      },
    },
  })
  @ApiAcceptedResponse({ type: BackfillAcceptedDto })
  @ApiErrors(
    {
      status: 400,
      description:
        'Bad symbol, malformed JSON, an unknown field, a bad or untracked timeframe, a malformed date, from not before to, or force not a boolean',
      message: 'timeframes: 1m is not tracked for AAPL (tracked: 1h, 1d); add with PUT /api/v1/symbol/AAPL/timeframes',
      details: [
        { field: 'timeframes', reason: '1m is not tracked for AAPL (tracked: 1h, 1d); add with PUT /api/v1/symbol/AAPL/timeframes' },
      ],
    },
    ...WRITE_KEY_ERRORS,
    { status: 404, description: 'The symbol is not tracked', message: 'AAPL is not tracked; track it with POST /api/v1/symbols first' },
    {
      status: 409,
      description: 'Ingestion is off (no POLYGON_API_KEY)',
      message: 'ingestion is off: POLYGON_API_KEY is not set; set POLYGON_API_KEY to your Polygon.io (Massive.com) key and restart',
    },
    RATE_LIMITED,
    DATABASE_DOWN,
  )
  async request(@Param() params: SymbolParams, @Body() body: BackfillRequestDto, @Query() _query: NoQuery): Promise<BackfillAcceptedDto> {
    const keys = await this.backfill.request(params.symbol, {
      timeframes: body.timeframes,
      from: instantOf(body.from),
      to: instantOf(body.to),
      force: body.force,
    });
    const jobs = await this.status.jobs({ symbol: params.symbol });
    return {
      symbol: params.symbol,
      force: body.force ?? false,
      jobs: jobs.filter((job) => keys.some((k) => k.timeframe === job.timeframe)).map(toJobStatusDto),
    };
  }
}

function toJobStatusDto(job: JobStatus): JobStatusDto {
  const optional = (value: number | undefined): string | undefined => (value === undefined ? undefined : iso(value));
  return {
    symbol: job.symbol,
    timeframe: job.timeframe,
    tracked: job.tracked,
    state: job.state,
    progressPercent: job.progressPercent,
    target: job.target.map(toRangeDto),
    covered: job.covered.map(toRangeDto),
    force: job.force,
    forced: job.forced.map(toRangeDto),
    bars: job.bars,
    requests: job.requests,
    errors: job.errors,
    ...(job.lastError !== undefined ? { lastError: job.lastError } : {}),
    ...(job.runningOn !== undefined ? { runningOn: job.runningOn } : {}),
    ...definedIso('refreshedAt', optional(job.refreshedAt)),
    ...definedIso('lastStartedAt', optional(job.lastStartedAt)),
    ...definedIso('lastFinishedAt', optional(job.lastFinishedAt)),
    ...definedIso('nextRunAt', optional(job.nextRunAt)),
  };
}

function toRangeDto(range: TimeRange): TimeRangeDto {
  return { start: iso(range.start), end: iso(range.end) };
}

function definedIso<K extends string>(name: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, string>);
}
