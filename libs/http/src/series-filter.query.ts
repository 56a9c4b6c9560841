import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import type { ApiErrorExample } from './api-errors.decorator';
import { DOC_PLACEHOLDERS } from './api-docs';
import { TICKER_PATTERN, normaliseSymbol } from './ticker-symbol';
import { TimeframeQueryDoc } from './timeframe-docs';

/** `?symbol=&timeframe=` of the job listings (backfill, enrichment): both optional; the timeframe is checked by the route. */
export class SeriesFilterQuery {
  @ApiPropertyOptional({ description: 'Only this symbol (case-insensitive)', example: 'AAPL' })
  @IsOptional()
  @Transform(({ value }) => normaliseSymbol(value))
  @IsString()
  @Matches(TICKER_PATTERN, {
    message: (args) => `must be a ticker like AAPL, BRK.B, X:BTCUSD, C:EURUSD or I:SPX, got ${JSON.stringify(args.value)}`,
  })
  symbol?: string;

  @TimeframeQueryDoc('Only this timeframe')
  @IsOptional()
  @IsString()
  timeframe?: string;
}

/** The 400 of a job listing's filters, for ApiErrors. */
export const BAD_SERIES_FILTER: ApiErrorExample = {
  status: 400,
  description: 'A filter is malformed or unknown',
  message: `timeframe: "2h" is not a supported timeframe; use one of ${DOC_PLACEHOLDERS.allowedTimeframeList}`,
  details: [{ field: 'timeframe', reason: `"2h" is not a supported timeframe; use one of ${DOC_PLACEHOLDERS.allowedTimeframeList}` }],
};
