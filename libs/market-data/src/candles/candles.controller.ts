import { Controller, Get, Param, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors, DATABASE_DOWN, DOC_PLACEHOLDERS, parseInstant, RATE_LIMITED, READ_KEY_ERRORS, SymbolParams } from '@app/http';
import { SERVED_SOURCES } from './served-candle';
import { CandlesPageDto } from './candles-page.dto';
import { toCandlesPageBody } from './candles-page.presenter';
import { CandlesQueryDto } from './candles-query.dto';
import { CSV_HEADER, toCandlesCsv } from './candles.csv';
import { CandlesService } from './candles.service';

/** The request and response members this controller uses; both Express and Fastify provide them. */
interface RequestLine {
  originalUrl?: string;
  url: string;
}
interface HeaderSink {
  header(name: string, value: string): unknown;
}

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
  constructor(private readonly candles: CandlesService) {}

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
      'A symbol with no stored bars in range answers an empty list. Example: `/api/v1/asset/AAPL/candles?timeframe=1m&start=2024-01-02T14:30:00Z&end=2024-01-02T21:00:00Z`.',
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
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CandlesPageDto) }, example: EXAMPLE_PAGE },
      'text/csv': { schema: { type: 'string' }, example: EXAMPLE_CSV },
    },
  })
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
    @Req() request: RequestLine,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<CandlesPageDto | StreamableFile> {
    const page = await this.candles.page({
      symbol: params.symbol,
      timeframe: query.timeframe,
      start: query.start === undefined ? undefined : parseInstant(query.start),
      end: query.end === undefined ? undefined : parseInstant(query.end),
      limit: query.limit,
      cursor: query.cursor,
      sort: query.sort,
      source: query.source,
      session: query.session,
    });
    response.header('X-Candle-Source', page.source);
    if (page.nextCursor) {
      response.header('X-Next-Cursor', page.nextCursor);
      response.header('Link', `<${withCursor(request.originalUrl ?? request.url, page.nextCursor)}>; rel="next"`);
    }
    if (query.format === 'csv') {
      return new StreamableFile(Buffer.from(toCandlesCsv(page)), {
        type: 'text/csv; charset=utf-8',
        disposition: `inline; filename="${page.symbol.replace(/[^A-Z0-9.]/g, '_')}-${page.timeframe.value}.csv"`,
      });
    }
    return toCandlesPageBody(page);
  }
}

/** The same request with `cursor` set to the next page's. */
function withCursor(url: string, cursor: string): string {
  const [path, search = ''] = url.split('?', 2);
  const params = new URLSearchParams(search);
  params.set('cursor', cursor);
  return `${path}?${params.toString()}`;
}
