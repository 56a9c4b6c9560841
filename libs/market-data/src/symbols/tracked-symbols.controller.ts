import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorExample,
  ApiErrors,
  DATABASE_DOWN,
  DOC_PLACEHOLDERS,
  NoQuery,
  RATE_LIMITED,
  READ_KEY_ERRORS,
  SymbolParams,
  WRITE_KEY_ERRORS,
} from '@app/http';
import type { TrackedSymbol } from './tracked-symbol';
import {
  SymbolIndicatorsDto,
  SymbolStateDto,
  SymbolTimeframesDto,
  TrackSymbolDto,
  TrackedSymbolDto,
  TrackedSymbolListDto,
  UntrackQueryDto,
  UntrackedSymbolDto,
} from './tracked-symbol.dto';
import { TrackedSymbolsService } from './tracked-symbols.service';

interface HeaderSink {
  header(name: string, value: string): unknown;
}

const NOT_TRACKED: ApiErrorExample = { status: 404, description: 'The symbol is not tracked', message: 'AAPL is not tracked' };
const BAD_SYMBOL: ApiErrorExample = {
  status: 400,
  description: 'The symbol is not a ticker, or an unknown query parameter was sent',
  message: 'symbol: must be a ticker like AAPL, BRK.B, X:BTCUSD (crypto), C:EURUSD (forex) or I:SPX (index), got "AA PL"',
  details: [
    { field: 'symbol', reason: 'must be a ticker like AAPL, BRK.B, X:BTCUSD (crypto), C:EURUSD (forex) or I:SPX (index), got "AA PL"' },
  ],
};
const BAD_TIMEFRAMES: ApiErrorExample = {
  status: 400,
  description: 'Malformed JSON, an unknown field, a bad symbol, or a timeframe list that is empty, repeats one or names one not allowed',
  message: `timeframes: "2h" is not supported; use ${DOC_PLACEHOLDERS.allowedTimeframeList}`,
  details: [{ field: 'timeframes', reason: `"2h" is not supported; use ${DOC_PLACEHOLDERS.allowedTimeframeList}` }],
};
const BAD_INDICATORS: ApiErrorExample = {
  status: 400,
  description: 'Malformed JSON, an unknown field, a bad symbol, an unknown indicator, a bad parameter or more than 20 indicators',
  message: 'indicators: "macd:26:12:9": fast (26) must be less than slow (12)',
  details: [{ field: 'indicators', reason: '"macd:26:12:9": fast (26) must be less than slow (12)' }],
};
const BAD_STATE: ApiErrorExample = {
  status: 400,
  description: 'Malformed JSON, a bad symbol, `active` missing or not a boolean, or an unknown field',
  message: 'active: must be a boolean value',
  details: [{ field: 'active', reason: 'must be a boolean value' }],
};

@ApiTags('symbols')
@ApiSecurity('api-key')
@Controller('api/v1')
export class TrackedSymbolsController {
  constructor(private readonly trackedSymbols: TrackedSymbolsService) {}

  private toDto(tracked: TrackedSymbol): TrackedSymbolDto {
    return toTrackedSymbolDto(tracked, this.trackedSymbols.indicatorsOf(tracked));
  }

  @Get('symbols')
  @ApiOperation({
    summary: 'List tracked symbols',
    description: `Every tracked symbol with its timeframes. ${DOC_PLACEHOLDERS.supportedTimeframes}.`,
  })
  @ApiOkResponse({ type: TrackedSymbolListDto })
  @ApiErrors(
    {
      ...BAD_SYMBOL,
      description: 'An unknown query parameter was sent',
      message: 'page: property page should not exist',
      details: [{ field: 'page', reason: 'property page should not exist' }],
    },
    ...READ_KEY_ERRORS,
    RATE_LIMITED,
    DATABASE_DOWN,
  )
  async list(@Query() _query: NoQuery): Promise<TrackedSymbolListDto> {
    return { symbols: (await this.trackedSymbols.list()).map((tracked) => this.toDto(tracked)) };
  }

  @Get('symbol/:symbol')
  @ApiOperation({ summary: 'One tracked symbol', description: `Its timeframes and state. ${DOC_PLACEHOLDERS.supportedTimeframes}.` })
  @ApiOkResponse({ type: TrackedSymbolDto })
  @ApiErrors(BAD_SYMBOL, ...READ_KEY_ERRORS, NOT_TRACKED, RATE_LIMITED, DATABASE_DOWN)
  async get(@Param() params: SymbolParams, @Query() _query: NoQuery): Promise<TrackedSymbolDto> {
    return this.toDto(await this.trackedSymbols.get(params.symbol));
  }

  @Post('symbols')
  @ApiOperation({
    summary: 'Track a symbol',
    description:
      `Starts keeping the symbol in the given timeframes, or in DEFAULT_TIMEFRAMES (${DOC_PLACEHOLDERS.defaultTimeframes}) ` +
      `when none are given. ${DOC_PLACEHOLDERS.supportedTimeframes}. Needs X-API-Key when API keys are configured.`,
  })
  @ApiBody({
    type: TrackSymbolDto,
    examples: {
      oneMinute: { summary: '1m and 1d bars', value: { symbol: 'aapl', timeframes: ['1m', '1d'] } },
      defaults: { summary: 'Default timeframes and indicators', value: { symbol: 'X:BTCUSD' } },
      indicators: { summary: 'Own indicators', value: { symbol: 'SPY', timeframes: ['1m', '1d'], indicators: ['sma:20', 'rsi:14'] } },
    },
  })
  @ApiCreatedResponse({
    type: TrackedSymbolDto,
    headers: { Location: { description: 'URL of the tracked symbol', schema: { type: 'string' } } },
  })
  @ApiErrors(
    BAD_TIMEFRAMES,
    ...WRITE_KEY_ERRORS,
    {
      status: 409,
      description: 'Already tracked',
      message: 'AAPL is already tracked; change its timeframes with PUT /api/v1/symbol/AAPL/timeframes',
    },
    RATE_LIMITED,
    DATABASE_DOWN,
  )
  async track(
    @Body() body: TrackSymbolDto,
    @Query() _query: NoQuery,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<TrackedSymbolDto> {
    const tracked = await this.trackedSymbols.track(body.symbol, body.timeframes, body.indicators);
    response.header('Location', `/api/v1/symbol/${encodeURIComponent(tracked.symbol)}`);
    return this.toDto(tracked);
  }

  @Put('symbol/:symbol/timeframes')
  @ApiOperation({
    summary: "Replace a symbol's timeframes",
    description: `The list replaces the old one; the scheduler backfills added timeframes and stops removed ones. ${DOC_PLACEHOLDERS.supportedTimeframes}. Needs X-API-Key when API keys are configured.`,
  })
  @ApiBody({ type: SymbolTimeframesDto, examples: { oneMinute: { summary: 'Add 1m', value: { timeframes: ['1m', '1h', '1d'] } } } })
  @ApiOkResponse({ type: TrackedSymbolDto })
  @ApiErrors(BAD_TIMEFRAMES, ...WRITE_KEY_ERRORS, NOT_TRACKED, RATE_LIMITED, DATABASE_DOWN)
  async setTimeframes(
    @Param() params: SymbolParams,
    @Body() body: SymbolTimeframesDto,
    @Query() _query: NoQuery,
  ): Promise<TrackedSymbolDto> {
    return this.toDto(await this.trackedSymbols.setTimeframes(params.symbol, body.timeframes));
  }

  @Put('symbol/:symbol/indicators')
  @ApiOperation({
    summary: "Replace a symbol's indicators",
    description:
      'The list replaces the old one (null: follow ENRICHMENT_DEFAULT_INDICATORS; []: none). Enrichment computes added indicators ' +
      'over all stored bars of every tracked timeframe, 1m included, and drops the values of removed ones. ' +
      'Needs X-API-Key when API keys are configured.',
  })
  @ApiBody({
    type: SymbolIndicatorsDto,
    examples: {
      own: { summary: 'Own list', value: { indicators: ['sma:20', 'rsi:14', 'macd:12:26:9'] } },
      defaults: { summary: 'Back to ENRICHMENT_DEFAULT_INDICATORS', value: { indicators: null } },
    },
  })
  @ApiOkResponse({ type: TrackedSymbolDto })
  @ApiErrors(BAD_INDICATORS, ...WRITE_KEY_ERRORS, NOT_TRACKED, RATE_LIMITED, DATABASE_DOWN)
  async setIndicators(
    @Param() params: SymbolParams,
    @Body() body: SymbolIndicatorsDto,
    @Query() _query: NoQuery,
  ): Promise<TrackedSymbolDto> {
    return this.toDto(await this.trackedSymbols.setIndicators(params.symbol, body.indicators));
  }

  @Patch('symbol/:symbol')
  @ApiOperation({
    summary: 'Pause or resume a symbol',
    description:
      '`{"active": false}` pauses the symbol: the backfill scheduler starts none of its jobs and stops running ones at their next window; ' +
      'its stored bars stay readable. `{"active": true}` resumes it where its checkpoints stopped. Answers the tracked symbol. ' +
      'Needs X-API-Key when API keys are configured.',
  })
  @ApiBody({
    type: SymbolStateDto,
    examples: { pause: { summary: 'Pause', value: { active: false } }, resume: { summary: 'Resume', value: { active: true } } },
  })
  @ApiOkResponse({ type: TrackedSymbolDto })
  @ApiErrors(BAD_STATE, ...WRITE_KEY_ERRORS, NOT_TRACKED, RATE_LIMITED, DATABASE_DOWN)
  async setState(@Param() params: SymbolParams, @Body() body: SymbolStateDto, @Query() _query: NoQuery): Promise<TrackedSymbolDto> {
    return this.toDto(await this.trackedSymbols.setActive(params.symbol, body.active));
  }

  @Delete('symbol/:symbol')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stop tracking a symbol',
    description: 'Its stored bars stay (and stay readable) unless purge=true. Needs X-API-Key when API keys are configured.',
  })
  @ApiOkResponse({ type: UntrackedSymbolDto })
  @ApiErrors(BAD_SYMBOL, ...WRITE_KEY_ERRORS, NOT_TRACKED, RATE_LIMITED, DATABASE_DOWN)
  async untrack(@Param() params: SymbolParams, @Query() query: UntrackQueryDto): Promise<UntrackedSymbolDto> {
    return this.trackedSymbols.untrack(params.symbol, query.purge === 'true');
  }
}

function toTrackedSymbolDto(tracked: TrackedSymbol, indicators: readonly string[]): TrackedSymbolDto {
  return {
    symbol: tracked.symbol,
    timeframes: tracked.timeframes,
    indicators: [...indicators],
    defaultIndicators: tracked.indicators === null,
    assetClass: tracked.assetClass,
    active: tracked.active,
    createdAt: new Date(tracked.createdAt).toISOString(),
    updatedAt: new Date(tracked.updatedAt).toISOString(),
  };
}
