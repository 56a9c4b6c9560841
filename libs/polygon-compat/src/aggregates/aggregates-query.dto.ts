import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SORT_ORDERS, type SortOrder } from '@app/core';

export const BOOLEAN_TEXTS = ['true', 'false'] as const;

/** How a client presents its key in the query; documented, and never logged or echoed (see PolygonKeyGuard). */
export class PolygonKeyQuery {
  @ApiPropertyOptional({
    description:
      'API key (one of API_KEYS) when reads need a key; `Authorization: Bearer <key>` and `X-API-Key` work too. Ignored when reads are open.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  apiKey?: string;
}

/** Query of GET /v2/aggs/ticker/{ticker}/prev. */
export class PreviousCloseQuery extends PolygonKeyQuery {
  @ApiPropertyOptional({
    enum: BOOLEAN_TEXTS,
    default: 'true',
    description: 'Split-adjusted bars; only the adjustment the store holds (POLYGON_ADJUSTED) is served',
  })
  @IsOptional()
  @IsIn(BOOLEAN_TEXTS, { message: 'must be true or false' })
  adjusted?: (typeof BOOLEAN_TEXTS)[number];
}

/** Query of GET /v2/aggs/ticker/{ticker}/range/...: the provider's parameters, plus the cursor of its next_url. */
export class AggregatesQuery extends PreviousCloseQuery {
  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'asc', description: 'Oldest first (asc) or newest first (desc)' })
  @IsOptional()
  @IsIn(SORT_ORDERS, { message: 'must be asc or desc' })
  sort?: SortOrder;

  @ApiPropertyOptional({
    type: 'integer',
    default: 5000,
    maximum: 50000,
    description:
      'Base bars (1m for minute and hour bars, days for day and longer) one page is made of, as the provider counts them; ' +
      'above 50000 counts as 50000. A page holds whole bars only; `next_url` continues.',
  })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/, { message: (args) => `must be a positive whole number, got '${String(args.value)}'` })
  limit?: string;

  @ApiPropertyOptional({
    description: "Set by `next_url`; carries the first request's paging parameters (the rest of the query is then ignored)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
