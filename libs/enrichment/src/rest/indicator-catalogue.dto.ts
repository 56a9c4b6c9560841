import { ApiProperty } from '@nestjs/swagger';
import { INDICATOR_NAMES } from '../indicator-name';

export class IndicatorParameterDto {
  @ApiProperty({ example: 'window' })
  name!: string;

  @ApiProperty({ example: 'Bars in the look-back window' })
  description!: string;

  @ApiProperty({ enum: ['integer', 'number'], example: 'integer' })
  type!: 'integer' | 'number';

  @ApiProperty({ example: 14 })
  default!: number;

  @ApiProperty({ example: 2 })
  min!: number;

  @ApiProperty({ description: 'True when `min` itself is refused (a multiplier must be positive)', example: false })
  minExclusive!: boolean;

  @ApiProperty({ example: 10000 })
  max!: number;
}

export class IndicatorOutputDto {
  @ApiProperty({ description: '`value` for one-output indicators, which answer a plain number', example: 'value' })
  name!: string;

  @ApiProperty({ example: 'RSI from 0 to 100' })
  description!: string;

  @ApiProperty({ description: 'The 0-based index of the first bar with a value, as a formula of the parameters', example: 'window' })
  warmup!: string;
}

export class IndicatorDescriptionDto {
  @ApiProperty({ enum: INDICATOR_NAMES, example: 'rsi' })
  name!: string;

  @ApiProperty({ example: 'Relative Strength Index (Wilder)' })
  title!: string;

  @ApiProperty({ description: 'The canonical spec with every parameter at its default', example: 'rsi:14' })
  defaultSpec!: string;

  @ApiProperty({ type: [String], description: 'What it reads of each bar', example: ['close'] })
  inputs!: readonly string[];

  @ApiProperty({ type: [IndicatorParameterDto], description: 'In spec order: `name:param1:param2...`' })
  parameters!: readonly IndicatorParameterDto[];

  @ApiProperty({ type: [IndicatorOutputDto] })
  outputs!: readonly IndicatorOutputDto[];

  @ApiProperty({
    enum: ['window', 'session', 'series'],
    description:
      'What a value depends on: window - the last bars only (computed on the fly exactly); session - the bars since the ' +
      "session started; series - every bar since the computation's start (warmed up on the fly, see the indicators route)",
    example: 'series',
  })
  memory!: string;

  @ApiProperty({ description: 'The TA-Lib function and conventions the values follow', example: 'TA-Lib RSI' })
  reference!: string;
}

export class IndicatorCatalogueDto {
  @ApiProperty({ type: [IndicatorDescriptionDto] })
  indicators!: readonly IndicatorDescriptionDto[];

  @ApiProperty({ description: 'Most indicators one request may name', example: 10 })
  maxPerRequest!: number;
}
