import { ApiProperty } from '@nestjs/swagger';
import { TIMEFRAME_VALUES } from '@app/core';
import { SERVED_SOURCES } from '@app/market-data';

/** A one-output indicator's value, or a multi-output one's values by output name; null before its warm-up is met. */
export type IndicatorValueDto = number | null | Record<string, number | null>;

export class IndicatorBarDto {
  @ApiProperty({ description: 'Start of the bar window, ISO-8601 UTC, as on /candles', example: '2024-01-02T14:30:00.000Z' })
  time!: string;

  @ApiProperty({
    description: "The bar's own isComplete: false while its window has not ended (its values can still change)",
    example: true,
  })
  isComplete!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: {
      oneOf: [
        { type: 'number', nullable: true },
        { type: 'object', additionalProperties: { type: 'number', nullable: true } },
      ],
    },
    description:
      'Per canonical indicator key: a number for one-output indicators (sma, ema, wma, rsi, atr, obv, vwap), an object by ' +
      'output name for the others (macd: macd, signal, histogram; bbands: upper, middle, lower; stoch: k, d). ' +
      'null where the warm-up is not met yet: values are never invented.',
    example: { 'rsi:14': 61.53, 'macd:12:26:9': { macd: 0.412, signal: 0.377, histogram: 0.035 } },
  })
  values!: Record<string, IndicatorValueDto>;
}

export class IndicatorPageDto {
  @ApiProperty({ description: 'Normalised ticker', example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ enum: TIMEFRAME_VALUES, example: '1m' })
  timeframe!: string;

  @ApiProperty({ enum: SERVED_SOURCES, description: 'Where the bars came from, as on /candles', example: 'native' })
  source!: (typeof SERVED_SOURCES)[number];

  @ApiProperty({ description: 'Start of the range served, inclusive (defaults applied)', example: '2024-01-02T14:30:00.000Z' })
  start!: string;

  @ApiProperty({ description: 'End of the range served, exclusive (defaults applied)', example: '2024-01-02T21:00:00.000Z' })
  end!: string;

  @ApiProperty({ type: [String], description: 'Canonical keys of the indicators, in request order', example: ['rsi:14', 'macd:12:26:9'] })
  indicators!: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['stored', 'computed'] },
    description:
      'Per indicator: stored (kept by enrichment for this symbol and timeframe, and up to date with the bars) or computed for ' +
      'this request from the bars and their warm-up. X-Indicator-Source sums it up: stored, computed or mixed.',
    example: { 'rsi:14': 'stored', 'macd:12:26:9': 'computed' },
  })
  origins!: Record<string, 'stored' | 'computed'>;

  @ApiProperty({ type: [IndicatorBarDto], description: 'One per bar of the page, ordered as `sort` asks' })
  bars!: IndicatorBarDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'As on /candles: present whenever more bars are in range; pass it as `cursor`. Null on the last page.',
    example: null,
  })
  nextCursor!: string | null;
}
