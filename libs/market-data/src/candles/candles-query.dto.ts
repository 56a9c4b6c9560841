import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { TIMEFRAME_VALUES } from '@app/core';
import { DOC_PLACEHOLDERS, INSTANT_FORMATS, IsInstant } from '@app/http';
import { SESSION_CHOICES, SOURCE_CHOICES, type SourceChoice } from './served-candle';

export const CANDLE_FORMATS = ['json', 'csv'] as const;
export type CandleFormat = (typeof CANDLE_FORMATS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;

/** What picks a page of bars: the part of the query /candles and /indicators share. Unknown parameters are rejected. */
export class CandleWindowQueryDto {
  @ApiPropertyOptional({
    enum: TIMEFRAME_VALUES,
    default: '1h',
    example: '1m',
    description: `Bar size. ${DOC_PLACEHOLDERS.supportedTimeframes}.`,
  })
  @IsOptional()
  @IsString()
  timeframe?: string;

  @ApiPropertyOptional({
    description:
      `First bar time, inclusive: ${INSTANT_FORMATS}. Default: \`end\` minus a lookback that suits the ` +
      `timeframe (${DOC_PLACEHOLDERS.defaultLookbacks}).`,
    example: '2024-01-02T14:30:00Z',
  })
  @IsOptional()
  @IsInstant()
  start?: string;

  @ApiPropertyOptional({
    description: `End of the range, exclusive: ${INSTANT_FORMATS}. Default: now.`,
    example: '1704229200000',
  })
  @IsOptional()
  @IsInstant()
  end?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      `Bars per page (default ${DOC_PLACEHOLDERS.defaultPageSize}, at most ${DOC_PLACEHOLDERS.maxPageSize}). ` +
      'When more bars are in range, the answer carries `nextCursor`.',
    example: 960,
  })
  @IsOptional()
  @Type(() => Number)
  // class-validator checks the decorator nearest the property first: "is it an integer" before "is it >= 1".
  @Min(1)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({
    description:
      'The `nextCursor` of the previous page. Send it with the same symbol, timeframe, start, end, sort, source and session ' +
      '(limit and format may change); any other query gets a 400.',
    example: 'WzEsIlRqaG5kLTJTOE5BSVJLUXgiLDE3MDQyMDU4MDAwMDAsMTcwNDI5MjIwMDAwMCwxNzA0MjA4MzQwMDAwXQ',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'asc', description: 'Oldest first (asc) or newest first (desc)' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  sort?: (typeof SORT_ORDERS)[number];

  @ApiPropertyOptional({
    enum: SOURCE_CHOICES,
    default: 'auto',
    example: 'derived',
    description:
      'native: stored bars of this timeframe. derived: rolled up from stored 1m bars (open first, high max, low min, ' +
      'close last, volume and trades summed, vwap volume-weighted; not available for 1m). auto: native when stored bars ' +
      'cover every ended bucket of the range in which the market traded (always for 1m), else derived. ' +
      'The answer says which it served: `source` in JSON, the X-Candle-Source header for both formats.',
  })
  @IsOptional()
  @IsIn(SOURCE_CHOICES)
  source?: SourceChoice;

  @ApiPropertyOptional({
    enum: SESSION_CHOICES,
    default: 'extended',
    example: 'regular',
    description:
      'US stocks: extended uses every stored 1m bar (04:00-20:00 New York); regular keeps only 09:30-16:00 ' +
      '(13:00 on early closes), which only derived bars can do, so it needs a timeframe above 1m and source auto ' +
      '(which then derives) or derived. Other asset classes trade on their own calendar and ignore it.',
  })
  @IsOptional()
  @IsIn(SESSION_CHOICES)
  session?: (typeof SESSION_CHOICES)[number];

  @ApiPropertyOptional({
    enum: CANDLE_FORMATS,
    default: 'json',
    description: 'json, or csv (text/csv with a header row; the next cursor is in the X-Next-Cursor and Link headers)',
  })
  @IsOptional()
  @IsIn(CANDLE_FORMATS)
  format?: CandleFormat;
}

/** Indicators asked for by name; at most 10 (the enrichment catalogue's own limit). */
export const INDICATORS_QUERY_DOC =
  'Comma-separated indicators, `name[:param...]` with omitted trailing parameters at their defaults (at most 10; ' +
  'GET /api/v1/indicators lists names, parameters and bounds). Each bar answers under the canonical key, every ' +
  'parameter spelled out (`rsi` -> `rsi:14`).';

/** Query string of GET /api/v1/asset/{symbol}/candles. */
export class CandlesQueryDto extends CandleWindowQueryDto {
  @ApiPropertyOptional({
    description: `${INDICATORS_QUERY_DOC} Adds an \`indicators\` object to each bar (CSV: one column per output after isComplete).`,
    example: 'sma:20,rsi:14',
  })
  @IsOptional()
  @MaxLength(1000)
  @IsString()
  indicators?: string;
}
