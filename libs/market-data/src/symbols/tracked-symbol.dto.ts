import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsIn, IsOptional, IsString, ValidateIf } from 'class-validator';
import { TIMEFRAME_VALUES } from '@app/core';
import { DOC_PLACEHOLDERS, TickerSymbol, TimeframeList } from '@app/http';
import { MAX_TRACKED_INDICATORS } from './indicator-lists';

const TIMEFRAMES_DOC = {
  type: 'string',
  isArray: true,
  enum: TIMEFRAME_VALUES,
  example: ['1m', '1h', '1d'],
} as const;

const INDICATORS_DOC = {
  type: 'string',
  isArray: true,
  example: ['sma:20', 'rsi:14', 'macd:12:26:9'],
} as const;

const NOT_A_LIST = 'must be an array of indicators such as ["sma:20", "rsi:14"]';
const LIST_TOO_LONG = `must list at most ${MAX_TRACKED_INDICATORS} indicators`;

const INDICATORS_DESCRIPTION =
  'Indicators as name:parameters (GET /api/v1/indicators lists them), computed and stored for every timeframe the symbol tracks, 1m included';

export class TrackSymbolDto {
  @TickerSymbol('Ticker to track; case-insensitive, stored upper-case')
  symbol!: string;

  @ApiProperty({
    ...TIMEFRAMES_DOC,
    required: false,
    description: `Timeframes to keep (default: ${DOC_PLACEHOLDERS.defaultTimeframes}). ${DOC_PLACEHOLDERS.supportedTimeframes}.`,
  })
  @IsOptional()
  @TimeframeList()
  timeframes?: string[];

  @ApiProperty({
    ...INDICATORS_DOC,
    required: false,
    maxItems: MAX_TRACKED_INDICATORS,
    description: `${INDICATORS_DESCRIPTION}. Omitted: ENRICHMENT_DEFAULT_INDICATORS (and later changes of it).`,
  })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(MAX_TRACKED_INDICATORS, { message: LIST_TOO_LONG })
  @IsArray({ message: NOT_A_LIST }) // last: checked first
  indicators?: string[];
}

export class SymbolIndicatorsDto {
  @ApiProperty({
    ...INDICATORS_DOC,
    nullable: true,
    maxItems: MAX_TRACKED_INDICATORS,
    description: `The full new list; replaces the old one. ${INDICATORS_DESCRIPTION}. null: follow ENRICHMENT_DEFAULT_INDICATORS; []: none.`,
  })
  @IsDefined({ message: 'is required: the full list (null for ENRICHMENT_DEFAULT_INDICATORS)' })
  @ValidateIf((_dto, value) => value !== null)
  @IsString({ each: true })
  @ArrayMaxSize(MAX_TRACKED_INDICATORS, { message: LIST_TOO_LONG })
  @IsArray({ message: NOT_A_LIST }) // last: checked first
  indicators!: string[] | null;
}

export class SymbolTimeframesDto {
  @ApiProperty({ ...TIMEFRAMES_DOC, description: `The full new list; replaces the old one. ${DOC_PLACEHOLDERS.supportedTimeframes}.` })
  @TimeframeList()
  timeframes!: string[];
}

export class SymbolStateDto {
  @ApiProperty({
    example: false,
    description:
      'false pauses the symbol: the backfill scheduler starts none of its jobs and stops running ones at their next window; ' +
      'its stored bars stay readable. true resumes it where its checkpoints stopped.',
  })
  @IsBoolean()
  active!: boolean;
}

export class TrackedSymbolDto {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ ...TIMEFRAMES_DOC, description: 'Kept timeframes, shortest first' })
  timeframes!: string[];

  @ApiProperty({ ...INDICATORS_DOC, description: 'Indicators kept in every tracked timeframe (canonical keys)' })
  indicators!: string[];

  @ApiProperty({ example: true, description: 'True while the list follows ENRICHMENT_DEFAULT_INDICATORS' })
  defaultIndicators!: boolean;

  @ApiProperty({ enum: ['stocks', 'crypto', 'forex', 'indices'], example: 'stocks', description: 'From the ticker prefix' })
  assetClass!: string;

  @ApiProperty({
    example: true,
    description: 'False while paused (PATCH /api/v1/symbol/{symbol}): the backfill scheduler leaves its jobs alone',
  })
  active!: boolean;

  @ApiProperty({ example: '2024-01-02T14:30:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2024-01-02T14:30:00.000Z' })
  updatedAt!: string;
}

export class TrackedSymbolListDto {
  @ApiProperty({ type: [TrackedSymbolDto], description: 'Ordered by symbol' })
  symbols!: TrackedSymbolDto[];
}

export class UntrackedSymbolDto {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ example: false, description: 'Whether the stored bars were deleted too' })
  purged!: boolean;

  @ApiProperty({ example: 0, description: 'Bars deleted (0 unless purge=true)' })
  barsDeleted!: number;
}

export class UntrackQueryDto {
  @ApiProperty({
    required: false,
    enum: ['true', 'false'],
    default: 'false',
    description: 'Also delete every stored bar of the symbol (all timeframes)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  purge?: 'true' | 'false';
}
