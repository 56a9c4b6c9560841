import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';
import { CandleWindowQueryDto, INDICATORS_QUERY_DOC } from '@app/market-data';

/** Query string of GET /api/v1/asset/{symbol}/indicators: the candles query, plus which indicators. Unknown parameters are rejected. */
export class IndicatorsQueryDto extends CandleWindowQueryDto {
  @ApiProperty({
    description: INDICATORS_QUERY_DOC,
    example: 'rsi:14,sma:20,macd:12:26:9',
  })
  // class-validator checks the decorator nearest the property first: "is it there" before "is it one string".
  @MaxLength(1000)
  @IsString()
  @IsDefined({ message: 'is required: a comma-separated list such as rsi:14,sma:20 (GET /api/v1/indicators lists them)' })
  indicators!: string;
}
