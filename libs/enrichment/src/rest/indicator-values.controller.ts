import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiErrors, DATABASE_DOWN, DOC_PLACEHOLDERS, RATE_LIMITED, READ_KEY_ERRORS, SymbolParams } from '@app/http';
import {
  CandleAnswers,
  type PagedHttpRequest,
  type PagedHttpResponse,
  SERVED_SOURCES,
  candlesRequestOf,
  headerOf,
  sendPagedAnswer,
} from '@app/market-data';
import { MAX_INDICATORS_PER_REQUEST } from '../spec/parse-indicator-spec';
import { IndicatorPageDto } from './indicator-page.dto';
import { MAX_ON_THE_FLY_WARM_UP_BARS } from './indicator-pages.service';
import { IndicatorsQueryDto } from './indicators-query.dto';
import { SERIES_WARM_UP_PERIODS } from './warm-up';

const EXAMPLE_PAGE: IndicatorPageDto = {
  symbol: 'AAPL',
  timeframe: '1m',
  source: 'native',
  start: '2024-01-02T14:30:00.000Z',
  end: '2024-01-02T14:32:00.000Z',
  indicators: ['sma:20', 'macd:12:26:9'],
  origins: { 'sma:20': 'stored', 'macd:12:26:9': 'computed' },
  bars: [
    {
      time: '2024-01-02T14:30:00.000Z',
      isComplete: true,
      values: { 'sma:20': 187.0412, 'macd:12:26:9': { macd: 0.1184, signal: null, histogram: null } },
    },
    {
      time: '2024-01-02T14:31:00.000Z',
      isComplete: true,
      values: { 'sma:20': 187.0695, 'macd:12:26:9': { macd: 0.1021, signal: 0.0893, histogram: 0.0128 } },
    },
  ],
  nextCursor: null,
};

const EXAMPLE_CSV =
  'time,sma:20,macd:12:26:9.macd,macd:12:26:9.signal,macd:12:26:9.histogram,isComplete\r\n' +
  '2024-01-02T14:30:00.000Z,187.0412,0.1184,,,true\r\n2024-01-02T14:31:00.000Z,187.0695,0.1021,0.0893,0.0128,true\r\n';

@ApiTags('indicators')
@ApiExtraModels(IndicatorPageDto)
@Controller('api/v1')
export class IndicatorValuesController {
  constructor(private readonly answers: CandleAnswers) {}

  @Get('asset/:symbol/indicators')
  @ApiOperation({
    summary: 'Technical indicators over the bars of one symbol and timeframe: stored, or computed on the fly',
    description:
      `The bars /candles would serve for the same query (timeframe, start, end, limit, cursor, sort, source, session, ` +
      `same defaults, same paging: \`nextCursor\` in JSON, X-Next-Cursor and Link for CSV). ${DOC_PLACEHOLDERS.supportedTimeframes}. ` +
      `Each bar carries its time, its isComplete and, per indicator (at most ${MAX_INDICATORS_PER_REQUEST}), its values: a number, ` +
      'or an object of outputs for macd, bbands and stoch; null until the warm-up is met (never invented). ' +
      "Indicators the symbol keeps (its `indicators`, or ENRICHMENT_DEFAULT_INDICATORS) are served from enrichment's stored values " +
      'when they are up to date with the bars on the page: computed once over the whole stored history, so series indicators are ' +
      'exact from the first bar on. Others, and pages with bars written since the last enrichment run, are computed for the request ' +
      'from the same source as the page; `origins` says which, X-Indicator-Source sums it up (stored, computed or mixed). ' +
      `An indicator not kept whose warm-up needs more than ${MAX_ON_THE_FLY_WARM_UP_BARS} bars is refused (400). ` +
      'On-the-fly warm-up: window indicators (sma, wma, bbands, stoch) are fed their look-back before the page, so they are exact; vwap ' +
      `is fed from the start of its session (New York day for US stocks, UTC day for crypto and forex). Series indicators ` +
      `(ema, rsi, macd, atr, obv) remember every bar since they started: they start max(look-back, ${SERIES_WARM_UP_PERIODS} x their longest ` +
      'period) bars before the range `start` (obv: at `start`, so it is the running total from there), so every page of a range gives the ' +
      'values one page of the whole range would; a later page reads the bars since `start` again. A series starting less than ' +
      'its warm-up after the first stored bar starts at that bar, as TA-Lib would. ' +
      'Cached and revalidated like /candles (ETag, If-None-Match, 304): a write to the bars or an enrichment run changes the key. Example: `/api/v1/asset/AAPL/indicators?timeframe=1m&indicators=rsi:14,sma:20&start=2024-01-02T14:30:00Z&end=2024-01-02T21:00:00Z`.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'One page of bars with their indicator values',
    headers: {
      'X-Indicator-Source': {
        description: 'stored (all values from enrichment), computed (all computed for this request) or mixed',
        schema: { type: 'string', enum: ['stored', 'computed', 'mixed'] },
      },
      ETag: {
        description: 'Send it back as If-None-Match: 304 while neither the bars nor the stored values changed',
        schema: { type: 'string' },
      },
      'X-Candle-Source': {
        description: 'native or derived: where the bars came from, as on /candles',
        schema: { type: 'string', enum: [...SERVED_SOURCES] },
      },
      'X-Next-Cursor': { description: 'Cursor of the next page, when there is one', schema: { type: 'string' } },
      Link: { description: 'rel="next": this request with the next cursor, when there is one', schema: { type: 'string' } },
      'Content-Encoding': {
        description: 'br or gzip when the client accepts it and the answer is 1 KB or more',
        schema: { type: 'string' },
      },
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(IndicatorPageDto) }, example: EXAMPLE_PAGE },
      'text/csv': { schema: { type: 'string' }, example: EXAMPLE_CSV },
    },
  })
  @ApiHeader({ name: 'Accept-Encoding', required: false, description: 'br and gzip are offered (q-values honoured)' })
  @ApiSecurity('api-key')
  @ApiErrors(
    {
      status: 400,
      description:
        'An indicator unknown or with a parameter out of bounds, more than the maximum, `indicators` missing, or any parameter ' +
        '/candles refuses; `details` names the field, what is wrong and what is allowed',
      message: 'indicators: "sma:0": window must be a whole number from 1 to 10,000, got "0"',
      details: [{ field: 'indicators', reason: '"sma:0": window must be a whole number from 1 to 10,000, got "0"' }],
    },
    ...READ_KEY_ERRORS,
    RATE_LIMITED,
    DATABASE_DOWN,
  )
  async indicatorsOf(
    @Param() params: SymbolParams,
    @Query() query: IndicatorsQueryDto,
    @Req() request: PagedHttpRequest,
    @Res() response: PagedHttpResponse,
  ): Promise<void> {
    const answer = await this.answers.answer({
      candles: candlesRequestOf(params.symbol, query),
      format: query.format ?? 'json',
      acceptEncoding: headerOf(request, 'accept-encoding'),
      ifNoneMatch: headerOf(request, 'if-none-match'),
      indicators: query.indicators,
      view: 'indicators',
    });
    sendPagedAnswer(request, response, answer);
  }
}
