import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { TIMEFRAME_VALUES } from '@app/core';
import { DOC_PLACEHOLDERS, TickerSymbol, TimeframeList } from '@app/http';

const TIMEFRAMES_DOC = {
  type: 'string',
  isArray: true,
  enum: TIMEFRAME_VALUES,
  example: ['1m', '1h', '1d'],
} as const;

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
