import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { POLYGON_TIMESPANS, type PolygonTimespan } from './aggregate-span';

/** The provider's ticker forms (AAPL, BRK.B, X:BTCUSD, C:EURUSD, I:SPX), any case; matched upper-cased against the store. */
const POLYGON_TICKER = /^[A-Za-z0-9][A-Za-z0-9.:_-]{0,39}$/;
const TICKER_FORMS = 'a ticker such as AAPL, BRK.B, X:BTCUSD, C:EURUSD or I:SPX';

const TIME_DOC =
  'YYYY-MM-DD (a whole New York day: `from` at its start, `to` through its end) or Unix milliseconds; both ends inclusive, snapped to the bars they fall in';

/** Path of GET /v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}. */
export class AggregatesParams {
  @ApiProperty({ description: 'Ticker, as the provider writes it', example: 'SPY' })
  @IsString()
  @Matches(POLYGON_TICKER, { message: `must be ${TICKER_FORMS}` })
  ticker!: string;

  @ApiProperty({ description: 'Bars of `multiplier` timespans each (1 to 100000)', example: '1' })
  @IsString()
  @Matches(/^\d{1,6}$/, { message: (args) => `must be a positive whole number, got '${String(args.value)}'` })
  multiplier!: string;

  @ApiProperty({
    enum: POLYGON_TIMESPANS,
    description:
      'minute and hour bars are built from stored 1m bars, day and longer from day bars (stored 1d, else rolled up from 1m); ' +
      'stored timeframes (1/minute, 5/minute, 15/minute, 30/minute, 1/hour, 4/hour, 1/day, 1/week) are served as stored. `second` is not served.',
    example: 'minute',
  })
  @IsIn(POLYGON_TIMESPANS, { message: `must be one of ${POLYGON_TIMESPANS.join(', ')}` })
  timespan!: PolygonTimespan;

  @ApiProperty({ description: `Start: ${TIME_DOC}`, example: '2024-01-02' })
  @IsString()
  @MaxLength(32)
  from!: string;

  @ApiProperty({ description: `End: ${TIME_DOC}`, example: '1704229199999' })
  @IsString()
  @MaxLength(32)
  to!: string;
}

/** Path of GET /v2/aggs/ticker/{ticker}/prev. */
export class PreviousCloseParams {
  @ApiProperty({ description: 'Ticker, as the provider writes it', example: 'SPY' })
  @IsString()
  @Matches(POLYGON_TICKER, { message: `must be ${TICKER_FORMS}` })
  ticker!: string;
}
