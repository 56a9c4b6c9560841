import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfigService } from '@app/config';
import { DATA_SOURCE_DOC, PolygonCompatRoute } from '../http/polygon-api-docs';
import { sendPolygonAnswer } from '../http/polygon-answer';
import { PolygonErrorFilter } from '../http/polygon-error.filter';
import { PolygonKeyGuard } from '../http/polygon-key.guard';
import { AggregatesParams, PreviousCloseParams } from './aggregates-params.dto';
import { AggregatesQuery, PreviousCloseQuery } from './aggregates-query.dto';
import { aggregatesRequestOf } from './aggregates-request';
import { AggregatesService } from './aggregates.service';
import { PreviousCloseService } from './previous-close.service';

const EXAMPLE_BARS = {
  ticker: 'SPY',
  queryCount: 2,
  resultsCount: 2,
  adjusted: true,
  results: [
    { v: 2201, vw: 126.7129, o: 126.71, c: 126.72, h: 126.73, l: 126.7, t: 1294059600000, n: 21 },
    { v: 18542, vw: 126.7421, o: 126.72, c: 126.76, h: 126.77, l: 126.72, t: 1294059660000, n: 63 },
  ],
  status: 'OK',
  request_id: '4f2c3a9e-5b8d-4d0e-9a61-2c7f0b3e8d15',
  count: 2,
  next_url:
    'https://market-data.example.com/v2/aggs/ticker/SPY/range/1/minute/1294059720000/2011-01-03?cursor=YWRqdXN0ZWQ9dHJ1ZSZsaW1pdD0yJnNvcnQ9YXNj',
};

/**
 * The provider's aggregates routes, answered from the store: point a Polygon (Massive) client at
 * this service and it gets the same answers. Outside /api/, errors in the provider's shape.
 */
@Controller('v2/aggs/ticker')
@PolygonCompatRoute()
@UseGuards(PolygonKeyGuard)
@UseFilters(PolygonErrorFilter)
export class AggregatesController {
  private readonly publicBaseUrl: string | undefined;

  constructor(
    private readonly aggregates: AggregatesService,
    private readonly previousClose: PreviousCloseService,
    config: AppConfigService,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL');
  }

  @Get(':ticker/range/:multiplier/:timespan/:from/:to')
  @ApiOperation({
    summary: 'Aggregate bars, as the provider serves them (Polygon.io / Massive.com compatible)',
    description:
      "The provider's `GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}`, from the store: 1m bars as " +
      'stored, stored timeframes as stored where they cover the range, any other multiplier and timespan rolled up from 1m ' +
      '(minute, hour) or day bars (day and longer), bars stamped with the start of their window (days, weeks, months in New York). ' +
      '`limit` counts base bars (1m, or days) as the provider does; `next_url` is absolute (PUBLIC_BASE_URL, or the host the ' +
      'request reached), already has `?` and never a key: the JavaScript clients append `&apiKey=`, the Python client strips ' +
      'its base from it. With PROVIDER_PASSTHROUGH, bars missing from the store are fetched from the provider first.',
  })
  @ApiOkResponse({
    description: 'Bars of the range, oldest first unless sort=desc',
    headers: DATA_SOURCE_DOC,
    schema: { example: EXAMPLE_BARS },
  })
  @ApiSecurity('api-key')
  async aggregatesOf(
    @Param() params: AggregatesParams,
    @Query() query: AggregatesQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const answer = await this.aggregates.answer(aggregatesRequestOf(params, query));
    sendPolygonAnswer(request, response, answer, this.publicBaseUrl);
  }

  @Get(':ticker/prev')
  @ApiOperation({
    summary: "The previous day's bar (Polygon.io / Massive.com compatible)",
    description: 'The bar of the last New York day that has ended, stored or rolled up from 1m, with the ticker as `T`.',
  })
  @ApiOkResponse({
    description: 'One bar, or none when the store has no day before today',
    headers: DATA_SOURCE_DOC,
    schema: {
      example: {
        ticker: 'SPY',
        queryCount: 1,
        resultsCount: 1,
        adjusted: true,
        results: [{ T: 'SPY', v: 72130012, o: 128.63, c: 128.68, h: 129.14, l: 128.22, t: 1296450000000 }],
        status: 'OK',
        request_id: '4f2c3a9e-5b8d-4d0e-9a61-2c7f0b3e8d15',
        count: 1,
      },
    },
  })
  @ApiSecurity('api-key')
  async previousCloseOf(
    @Param() params: PreviousCloseParams,
    @Query() query: PreviousCloseQuery,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const answer = await this.previousClose.answer(params.ticker, query.adjusted !== 'false');
    sendPolygonAnswer(request, response, answer, this.publicBaseUrl);
  }
}
