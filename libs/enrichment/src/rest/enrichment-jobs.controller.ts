import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AppConfigService } from '@app/config';
import { iso } from '@app/core';
import { ApiErrors, BAD_SERIES_FILTER, DATABASE_DOWN, DOC_PLACEHOLDERS, RATE_LIMITED, READ_KEY_ERRORS, SeriesFilterQuery } from '@app/http';
import { EnrichmentStatus, type EnrichmentSeriesStatus } from '../jobs/enrichment-status';
import { EnrichmentJobsDto, EnrichmentSeriesDto } from './enrichment-jobs.dto';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

@ApiTags('indicators')
@ApiSecurity('api-key')
@Controller('api/v1/enrichment')
export class EnrichmentJobsController {
  constructor(
    private readonly status: EnrichmentStatus,
    private readonly config: AppConfigService,
  ) {}

  @Get('jobs')
  @ApiOperation({
    summary: 'Enrichment jobs: how far the stored indicators of each tracked series are computed',
    description:
      'One entry per tracked symbol and timeframe, 1m included: the last computed bar, the lag behind the newest stored bar, ' +
      'a pending change (bars written since the last run), indicators listed but not computed yet, and per indicator its runs ' +
      `and last error. Read from the shared tables, so every instance answers the same. ${DOC_PLACEHOLDERS.supportedTimeframes}.`,
  })
  @ApiOkResponse({ type: EnrichmentJobsDto })
  @ApiErrors(BAD_SERIES_FILTER, ...READ_KEY_ERRORS, RATE_LIMITED, DATABASE_DOWN)
  async jobs(@Query() query: SeriesFilterQuery): Promise<EnrichmentJobsDto> {
    const timeframe = query.timeframe === undefined ? undefined : this.config.parseTimeframe(query.timeframe).value;
    const series = await this.status.list({ symbol: query.symbol, timeframe });
    return { enabled: this.config.get('ENRICHMENT_ENABLED'), series: series.map(toSeriesDto) };
  }
}

function toSeriesDto(series: EnrichmentSeriesStatus): EnrichmentSeriesDto {
  return {
    symbol: series.symbol,
    timeframe: series.timeframe,
    source: series.source,
    computedThrough: isoOrNull(series.computedThrough),
    newestBar: isoOrNull(series.newestBar),
    lagSeconds: series.lagSeconds,
    pendingFrom: isoOrNull(series.pendingFrom),
    missing: series.missing,
    indicators: series.indicators.map((row) => ({
      indicator: row.indicator,
      computedThrough: isoOrNull(row.computedThrough),
      runs: row.runs,
      lastRunAt: isoOrNull(row.lastRunAt),
      lastDurationMs: row.lastDurationMs,
      lastError: row.lastError,
      lastErrorAt: isoOrNull(row.lastErrorAt),
    })),
  };
}
