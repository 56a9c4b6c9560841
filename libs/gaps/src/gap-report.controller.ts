import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { iso } from '@app/core';
import { ApiErrors, DATABASE_DOWN, DOC_PLACEHOLDERS, RATE_LIMITED, READ_KEY_ERRORS, SymbolParams, instantOf } from '@app/http';
import type { GapReport } from './gap-report';
import { GapReportDto, GapReportQueryDto } from './gap-report.dto';
import { GapReportService } from './gap-report.service';

@ApiTags('candles')
@ApiSecurity('api-key')
@Controller('api/v1')
export class GapReportController {
  constructor(private readonly gaps: GapReportService) {}

  @Get('asset/:symbol/gaps')
  @ApiOperation({
    summary: 'Bars the market calendar expects but the store lacks',
    description:
      'Walks every bar of the timeframe whose start lies in [start, end) and lists runs of expected but missing bars (`gaps`), ' +
      'apart from runs when the market was closed (`closed`: nights, weekends, NYSE holidays; crypto trades 24/7, forex 24/5). ' +
      'A gap marked `fetched` was asked of the provider, which had no bar (a minute without trades); the others are not fetched yet. ' +
      `Defaults: timeframe 1m, end now, start end minus the timeframe's history window. ${DOC_PLACEHOLDERS.supportedTimeframes}. ` +
      'Example: `/api/v1/asset/AAPL/gaps?timeframe=1m&start=2024-01-02&end=2024-01-09`.',
  })
  @ApiOkResponse({ type: GapReportDto })
  @ApiErrors(
    {
      status: 400,
      description:
        'A parameter is malformed, not allowed or unknown, start is not before end, or the range is too long; `details` names the field and why',
      message: `timeframe: "2h" is not a supported timeframe; use one of ${DOC_PLACEHOLDERS.allowedTimeframeList}`,
      details: [{ field: 'timeframe', reason: `"2h" is not a supported timeframe; use one of ${DOC_PLACEHOLDERS.allowedTimeframeList}` }],
    },
    ...READ_KEY_ERRORS,
    RATE_LIMITED,
    DATABASE_DOWN,
  )
  async gapsOf(@Param() params: SymbolParams, @Query() query: GapReportQueryDto): Promise<GapReportDto> {
    const report = await this.gaps.report({
      symbol: params.symbol,
      timeframe: query.timeframe,
      start: instantOf(query.start),
      end: instantOf(query.end),
      session: query.session,
    });
    return toGapReportDto(report);
  }
}

function toGapReportDto(report: GapReport): GapReportDto {
  return {
    symbol: report.symbol,
    timeframe: report.timeframe.value,
    session: report.session,
    start: iso(report.start),
    end: iso(report.end),
    expectedBars: report.expectedBars,
    storedBars: report.storedBars,
    missingBars: report.missingBars,
    gaps: report.gaps.map((gap) => ({ start: iso(gap.start), end: iso(gap.end), bars: gap.bars, fetched: gap.fetched })),
    closed: report.closed.map((period) => ({ start: iso(period.start), end: iso(period.end) })),
  };
}
