import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';
import { CandlesQueryDto } from '@app/market-data';
import { MAX_INDICATORS_PER_REQUEST } from '../spec/parse-indicator-spec';

/** Query string of GET /api/v1/asset/{symbol}/indicators: the candles query, plus which indicators. Unknown parameters are rejected. */
export class IndicatorsQueryDto extends CandlesQueryDto {
  @ApiProperty({
    description:
      `Comma-separated indicators, \`name[:param...]\` with omitted trailing parameters at their defaults ` +
      `(at most ${MAX_INDICATORS_PER_REQUEST}; GET /api/v1/indicators lists names, parameters and bounds). ` +
      'Each bar answers under the canonical key, every parameter spelled out (`rsi` -> `rsi:14`).',
    example: 'rsi:14,sma:20,macd:12:26:9',
  })
  // class-validator checks the decorator nearest the property first: "is it there" before "is it one string".
  @MaxLength(1000)
  @IsString()
  @IsDefined({ message: 'is required: a comma-separated list such as rsi:14,sma:20 (GET /api/v1/indicators lists them)' })
  indicators!: string;
}
