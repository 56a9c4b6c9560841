import type { IndicatorValue } from './candle-indicators';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TIMEFRAME_VALUES } from '@app/core';
import { SERVED_SOURCES } from './served-candle';

/** One bar as the API serves it; numbers are the stored float8 values, unrounded. */
export class CandleBarDto {
  @ApiProperty({ description: 'Start of the bar window, ISO-8601 UTC', example: '2024-01-02T14:30:00.000Z' })
  time!: string;

  @ApiProperty({ example: 187.15 })
  open!: number;

  @ApiProperty({ example: 187.4 })
  high!: number;

  @ApiProperty({ example: 186.92 })
  low!: number;

  @ApiProperty({ example: 187.2101 })
  close!: number;

  @ApiProperty({ description: 'May be fractional (crypto, forex)', example: 412530 })
  volume!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Volume-weighted average price, when the provider sent one',
    example: 187.1433,
  })
  vwap!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Number of trades, when known', example: 3812 })
  trades!: number | null;

  @ApiProperty({
    description:
      'False while the bar window has not ended yet (its values can still change); for derived bars also when ' +
      'the stored 1m bars fall short of what the trading calendar expects in the window',
    example: true,
  })
  isComplete!: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Only with `indicators=`: per canonical key, a number, or an object of outputs for macd, bbands and stoch; null before the ' +
      'warm-up is met (X-Indicator-Source says whether the values were stored or computed for the request)',
    example: { 'sma:20': 187.0412, 'rsi:14': 61.53 },
  })
  indicators?: Record<string, IndicatorValue>;
}

export class CandlesPageDto {
  @ApiProperty({ description: 'Normalised ticker', example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ enum: TIMEFRAME_VALUES, example: '1m' })
  timeframe!: string;

  @ApiProperty({
    enum: SERVED_SOURCES,
    description: 'Where the bars came from: stored bars of this timeframe (native) or rolled up from stored 1m bars (derived)',
    example: 'native',
  })
  source!: (typeof SERVED_SOURCES)[number];

  @ApiProperty({ description: 'Start of the range served, inclusive (defaults applied)', example: '2024-01-02T14:30:00.000Z' })
  start!: string;

  @ApiProperty({ description: 'End of the range served, exclusive (defaults applied)', example: '2024-01-02T21:00:00.000Z' })
  end!: string;

  @ApiProperty({ type: [CandleBarDto], description: 'Ordered by time as `sort` asks' })
  bars!: CandleBarDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Present whenever more bars are in range than this page holds; pass it as `cursor`. Null on the last page.',
    example: null,
  })
  nextCursor!: string | null;
}
