import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrors, DATABASE_DOWN, DOC_PLACEHOLDERS, RATE_LIMITED, READ_KEY_ERRORS, SymbolParams } from '@app/http';
import { SERVED_SOURCES } from './served-candle';
import { CandlesPageDto } from './candles-page.dto';
import { CandlesQueryDto } from './candles-query.dto';
import { CSV_HEADER } from './candles.csv';
import { CandleAnswers } from './candle-answers';
import { type PagedHttpRequest, type PagedHttpResponse, candlesRequestOf, headerOf, sendPagedAnswer } from './paged-http';

const EXAMPLE_PAGE: CandlesPageDto = {
  symbol: 'AAPL',
  timeframe: '1m',
  source: 'native',
  start: '2024-01-02T14:30:00.000Z',
  end: '2024-01-02T14:32:00.000Z',
  bars: [
    {
      time: '2024-01-02T14:30:00.000Z',
      open: 187.15,
      high: 187.4,
      low: 186.92,
      close: 187.2101,
      volume: 412530,
      vwap: 187.1433,
      trades: 3812,
      isComplete: true,
    },
    {
      time: '2024-01-02T14:31:00.000Z',
      open: 187.21,
      high: 187.33,
      low: 187.02,
      close: 187.05,
      volume: 198113,
      vwap: null,
      trades: null,
      isComplete: true,
    },
  ],
  nextCursor: null,
};

const EXAMPLE_CSV =
  `${CSV_HEADER}\r\n2024-01-02T14:30:00.000Z,187.15,187.4,186.92,187.2101,412530,187.1433,3812,true\r\n` +
  '2024-01-02T14:31:00.000Z,187.21,187.33,187.02,187.05,198113,,,true\r\n';

@ApiTags('candles')
@ApiExtraModels(CandlesPageDto)
@Controller('api/v1')
export class CandlesController {
  constructor(private readonly answers: CandleAnswers) {}

  @Get('asset/:symbol/candles')
  @ApiOperation({
    summary: 'OHLCV bars of one symbol and timeframe',
    description:
      `Stored bars with start time in [start, end), oldest first unless sort=desc. ${DOC_PLACEHOLDERS.supportedTimeframes}. ` +
      'Defaults: timeframe 1h, end now, start end minus a lookback that suits the timeframe ' +
      `(${DOC_PLACEHOLDERS.defaultLookbacks}). ` +
      `A page holds at most \`limit\` bars (default ${DOC_PLACEHOLDERS.defaultPageSize}, max ${DOC_PLACEHOLDERS.maxPageSize}); ` +
      'whenever more bars are in range the answer carries `nextCursor` (JSON) or the X-Next-Cursor and Link headers (CSV): ' +
      'nothing is cut silently. A bar whose window has not ended yet has isComplete=false. ' +
      '`source` chooses stored (native) bars or bars derived from stored 1m bars (auto, the default, picks native where ' +
      'stored bars cover the range); `session=regular` derives US-stock bars from 09:30-16:00 only. ' +
      'A symbol with no stored bars in range answers an empty list. ' +
      'Answers are cached as the bytes sent (and their gzip/br forms): every answer of a fixed window (an `end`, or a cursor) carries a ' +
      'strong ETag; send it back in If-None-Match for a 304 without a database query. Answers of settled bars (complete and past the ' +
      'revision window) say `Cache-Control: public, max-age=<seconds left>`; anything that may still change says `no-cache`, and a ' +
      'window without `end` (it moves with the clock) is never cached. A write to the bars changes the ETag at once. Example: `/api/v1/asset/AAPL/candles?timeframe=1m&start=2024-01-02T14:30:00Z&end=2024-01-02T21:00:00Z`.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'One page of bars',
    headers: {
      'X-Candle-Source': {
        description: 'native or derived: where the bars came from (JSON answers also say it in `source`)',
        schema: { type: 'string', enum: [...SERVED_SOURCES] },
      },
      'X-Next-Cursor': { description: 'Cursor of the next page, when there is one', schema: { type: 'string' } },
      Link: { description: 'rel="next": this request with the next cursor, when there is one', schema: { type: 'string' } },
      ETag: {
        description: 'Strong tag of this answer (query, data version, content coding); absent when the window ends now',
        schema: { type: 'string' },
      },
      'Cache-Control': {
        description: '`public, max-age=N` (`private` when reads need an API key) for settled bars; `no-cache` otherwise',
        schema: { type: 'string' },
      },
      Vary: { description: 'Accept-Encoding', schema: { type: 'string' } },
      'Content-Encoding': {
        description: 'br or gzip when the client accepts it and the answer is 1 KB or more',
        schema: { type: 'string' },
      },
      'X-Cache': {
        description: 'Where the answer came from: local (this instance), redis (another instance computed it), miss, bypass',
        schema: { type: 'string', enum: ['local', 'redis', 'miss', 'bypass'] },
      },
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CandlesPageDto) }, example: EXAMPLE_PAGE },
      'text/csv': { schema: { type: 'string' }, example: EXAMPLE_CSV },
    },
  })
  @ApiResponse({ status: 304, description: 'If-None-Match names the current answer: nothing changed, no body' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of an answer held by the client' })
  @ApiHeader({ name: 'Accept-Encoding', required: false, description: 'br and gzip are offered (q-values honoured)' })
  @ApiSecurity('api-key')
  @ApiErrors(
    {
      status: 400,
      description: 'A parameter is malformed, out of range, not allowed or unknown; `details` names each field and why',
      message: 'timeframe: "2h" is not a supported timeframe; use one of ' + DOC_PLACEHOLDERS.allowedTimeframeList,
      details: [{ field: 'timeframe', reason: `"2h" is not a supported timeframe; use one of ${DOC_PLACEHOLDERS.allowedTimeframeList}` }],
    },
    ...READ_KEY_ERRORS,
    RATE_LIMITED,
    DATABASE_DOWN,
  )
  async candlesOf(
    @Param() params: SymbolParams,
    @Query() query: CandlesQueryDto,
    @Req() request: PagedHttpRequest,
    @Res() response: PagedHttpResponse,
  ): Promise<void> {
    const answer = await this.answers.answer({
      candles: candlesRequestOf(params.symbol, query),
      format: query.format ?? 'json',
      acceptEncoding: headerOf(request, 'accept-encoding'),
      ifNoneMatch: headerOf(request, 'if-none-match'),
      indicators: query.indicators,
    });
    sendPagedAnswer(request, response, answer);
  }
}
