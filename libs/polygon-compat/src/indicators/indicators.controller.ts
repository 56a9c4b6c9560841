import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfigService } from '@app/config';
import { PreviousCloseParams } from '../aggregates/aggregates-params.dto';
import { DATA_SOURCE_DOC, PolygonCompatRoute } from '../http/polygon-api-docs';
import { sendPolygonAnswer } from '../http/polygon-answer';
import { PolygonErrorFilter } from '../http/polygon-error.filter';
import { PolygonKeyGuard } from '../http/polygon-key.guard';
import { publicBaseUrl } from '../http/public-base-url';
import { type IndicatorQuery, MacdIndicatorQuery, WindowIndicatorQuery } from './indicator-query.dto';
import { type PolygonIndicator, parametersOf } from './indicator-request';
import { PolygonIndicatorsService } from './polygon-indicators.service';

const EXAMPLE = {
  results: {
    underlying: { url: 'https://market-data.example.com/v2/aggs/ticker/SPY/range/1/day/1295240400000/1296450000000?limit=50000&sort=desc' },
    values: [
      { timestamp: 1296450000000, value: 128.1046 },
      { timestamp: 1296190800000, value: 128.0185 },
    ],
  },
  status: 'OK',
  request_id: '4f2c3a9e-5b8d-4d0e-9a61-2c7f0b3e8d15',
  next_url:
    'https://market-data.example.com/v1/indicators/sma/SPY?cursor=W3sidGltZXNwYW4iOiJkYXkifSwxMjk0MDMwODAwMDAwLDEyOTY1MzY0MDAwMDAsIld6RXNJ...',
};

const DESCRIPTION =
  'The provider\'s route and parameters, computed by this service\'s enrichment (TA-Lib definitions; README "Technical indicators") ' +
  'on the bars /api/v1/asset/{symbol}/candles serves: stored, or rolled up from 1m. `series_type` close only; timespans minute, hour, ' +
  "day, week. Each value is stamped with its bar's start. Note: the official JavaScript clients cannot merge indicator pages " +
  '(pagination: true fails on `results`, an object, against the provider as here); follow `next_url` yourself.';

/** The provider's technical-indicator routes, answered from the store. */
@Controller('v1/indicators')
@PolygonCompatRoute()
@UseGuards(PolygonKeyGuard)
@UseFilters(PolygonErrorFilter)
export class IndicatorsController {
  private readonly publicBaseUrl: string | undefined;

  constructor(
    private readonly indicators: PolygonIndicatorsService,
    config: AppConfigService,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL');
  }

  @Get('sma/:ticker')
  @ApiOperation({ summary: 'Simple moving average (Polygon.io / Massive.com compatible)', description: DESCRIPTION })
  @ApiOkResponse({ description: 'Values, newest first unless order=asc', headers: DATA_SOURCE_DOC, schema: { example: EXAMPLE } })
  @ApiSecurity('api-key')
  sma(
    @Param() params: PreviousCloseParams,
    @Query() query: WindowIndicatorQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.send('sma', params, query, request, response);
  }

  @Get('ema/:ticker')
  @ApiOperation({ summary: 'Exponential moving average (Polygon.io / Massive.com compatible)', description: DESCRIPTION })
  @ApiOkResponse({ description: 'Values, newest first unless order=asc', headers: DATA_SOURCE_DOC, schema: { example: EXAMPLE } })
  @ApiSecurity('api-key')
  ema(
    @Param() params: PreviousCloseParams,
    @Query() query: WindowIndicatorQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.send('ema', params, query, request, response);
  }

  @Get('rsi/:ticker')
  @ApiOperation({ summary: 'Relative strength index (Polygon.io / Massive.com compatible)', description: DESCRIPTION })
  @ApiOkResponse({ description: 'Values, newest first unless order=asc', headers: DATA_SOURCE_DOC, schema: { example: EXAMPLE } })
  @ApiSecurity('api-key')
  rsi(
    @Param() params: PreviousCloseParams,
    @Query() query: WindowIndicatorQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.send('rsi', params, query, request, response);
  }

  @Get('macd/:ticker')
  @ApiOperation({ summary: 'MACD, its signal and histogram (Polygon.io / Massive.com compatible)', description: DESCRIPTION })
  @ApiOkResponse({
    description: 'Values with `value` (the MACD line), `signal` and `histogram`',
    headers: DATA_SOURCE_DOC,
    schema: {
      example: {
        ...EXAMPLE,
        results: { ...EXAMPLE.results, values: [{ timestamp: 1296450000000, value: 0.412, signal: 0.388, histogram: 0.024 }] },
      },
    },
  })
  @ApiSecurity('api-key')
  macd(
    @Param() params: PreviousCloseParams,
    @Query() query: MacdIndicatorQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    return this.send('macd', params, query, request, response);
  }

  private async send(
    indicator: PolygonIndicator,
    params: PreviousCloseParams,
    query: IndicatorQuery,
    request: Request,
    response: Response,
  ): Promise<void> {
    const baseUrl = publicBaseUrl(this.publicBaseUrl, request);
    const answer = await this.indicators.answer(indicator, params.ticker, parametersOf(query), query.cursor, baseUrl);
    sendPolygonAnswer(request, response, answer, this.publicBaseUrl);
  }
}
