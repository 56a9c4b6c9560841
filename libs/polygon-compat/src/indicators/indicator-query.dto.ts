import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SORT_ORDERS, type SortOrder } from '@app/core';
import { SERVED_TIMESPANS, type ServedTimespan } from '../aggregates/aggregate-span';
import { BOOLEAN_TEXTS, PolygonKeyQuery } from '../aggregates/aggregates-query.dto';

const SERIES_TYPES = ['open', 'high', 'low', 'close'] as const;

const TIME = /^(\d{1,15}|\d{4}-\d{2}-\d{2})$/;
const TIME_MESSAGE = (args: { value: unknown }) => `must be YYYY-MM-DD or Unix milliseconds, got '${String(args.value)}'`;
const WHOLE = /^\d{1,6}$/;
const WHOLE_MESSAGE = (args: { value: unknown }) => `must be a positive whole number, got '${String(args.value)}'`;
const TIME_DOC = 'YYYY-MM-DD (a New York day) or Unix milliseconds';

/** The parameters every indicator route of the provider takes (the window parameters are per indicator). */
export class IndicatorQuery extends PolygonKeyQuery {
  @ApiPropertyOptional({ description: `Only the value at this time (${TIME_DOC}; a date: that day's values)` })
  @IsOptional()
  @Matches(TIME, { message: TIME_MESSAGE })
  timestamp?: string;

  @ApiPropertyOptional({ name: 'timestamp.gte', description: `Values at or after (${TIME_DOC})` })
  @IsOptional()
  @Matches(TIME, { message: TIME_MESSAGE })
  'timestamp.gte'?: string;

  @ApiPropertyOptional({ name: 'timestamp.gt', description: `Values after (${TIME_DOC})` })
  @IsOptional()
  @Matches(TIME, { message: TIME_MESSAGE })
  'timestamp.gt'?: string;

  @ApiPropertyOptional({ name: 'timestamp.lte', description: `Values at or before (${TIME_DOC})` })
  @IsOptional()
  @Matches(TIME, { message: TIME_MESSAGE })
  'timestamp.lte'?: string;

  @ApiPropertyOptional({ name: 'timestamp.lt', description: `Values before (${TIME_DOC})` })
  @IsOptional()
  @Matches(TIME, { message: TIME_MESSAGE })
  'timestamp.lt'?: string;

  @ApiPropertyOptional({
    enum: SERVED_TIMESPANS,
    default: 'day',
    description:
      'Bars the indicator is computed on: minute (1m), hour (1h), day (1d), week (1w); month, quarter and year are not served here',
  })
  @IsOptional()
  @IsIn(SERVED_TIMESPANS, { message: `must be one of ${SERVED_TIMESPANS.join(', ')}` })
  timespan?: ServedTimespan;

  @ApiPropertyOptional({
    enum: BOOLEAN_TEXTS,
    default: 'true',
    description: 'Split-adjusted bars; only the adjustment the store holds is served',
  })
  @IsOptional()
  @IsIn(BOOLEAN_TEXTS, { message: 'must be true or false' })
  adjusted?: (typeof BOOLEAN_TEXTS)[number];

  @ApiPropertyOptional({ enum: SERIES_TYPES, default: 'close', description: 'The price the indicator is computed on; close only here' })
  @IsOptional()
  @IsIn(SERIES_TYPES, { message: `must be one of ${SERIES_TYPES.join(', ')}` })
  series_type?: (typeof SERIES_TYPES)[number];

  @ApiPropertyOptional({
    enum: BOOLEAN_TEXTS,
    default: 'false',
    description: 'Also send the bars of this page as `results.underlying.aggregates`',
  })
  @IsOptional()
  @IsIn(BOOLEAN_TEXTS, { message: 'must be true or false' })
  expand_underlying?: (typeof BOOLEAN_TEXTS)[number];

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'desc', description: 'Newest first (desc) or oldest first (asc)' })
  @IsOptional()
  @IsIn(SORT_ORDERS, { message: 'must be asc or desc' })
  order?: SortOrder;

  @ApiPropertyOptional({
    type: 'integer',
    default: 10,
    maximum: 5000,
    description: 'Values per page (above 5000 counts as 5000); `next_url` continues',
  })
  @IsOptional()
  @Matches(/^[1-9]\d{0,8}$/, { message: WHOLE_MESSAGE })
  limit?: string;

  @ApiPropertyOptional({ description: "Set by `next_url`: the first request's parameters (the rest of the query is then ignored)" })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  cursor?: string;
}

/** SMA, EMA and RSI. */
export class WindowIndicatorQuery extends IndicatorQuery {
  @ApiPropertyOptional({ type: 'integer', description: 'Bars in the window (default: SMA and EMA 50, RSI 14)' })
  @IsOptional()
  @Matches(WHOLE, { message: WHOLE_MESSAGE })
  window?: string;
}

export class MacdIndicatorQuery extends IndicatorQuery {
  @ApiPropertyOptional({ type: 'integer', default: 12, description: 'Bars of the fast EMA' })
  @IsOptional()
  @Matches(WHOLE, { message: WHOLE_MESSAGE })
  short_window?: string;

  @ApiPropertyOptional({ type: 'integer', default: 26, description: 'Bars of the slow EMA, more than short_window' })
  @IsOptional()
  @Matches(WHOLE, { message: WHOLE_MESSAGE })
  long_window?: string;

  @ApiPropertyOptional({ type: 'integer', default: 9, description: 'Bars of the signal EMA of the MACD line' })
  @IsOptional()
  @Matches(WHOLE, { message: WHOLE_MESSAGE })
  signal_window?: string;
}
