import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { TIMEFRAME_VALUES } from '@app/core';
import { INSTANT_FORMATS, IsInstantInput, TimeframeQueryDoc } from '@app/http';

export const SESSIONS = ['extended', 'regular'] as const;

/** Query of GET /api/v1/asset/{symbol}/gaps. Unknown parameters are rejected. */
export class GapReportQueryDto {
  @TimeframeQueryDoc('Bar size (default 1m)')
  @IsOptional()
  @IsString()
  timeframe?: string;

  @ApiPropertyOptional({
    description: `First bar time, inclusive: ${INSTANT_FORMATS}. Default: \`end\` minus the timeframe's history window (BACKFILL_WINDOWS). At most a year of 1m buckets per report.`,
    example: '2024-01-02T00:00:00Z',
  })
  @IsOptional()
  @IsInstantInput()
  start?: string;

  @ApiPropertyOptional({
    description: `End of the range, exclusive: ${INSTANT_FORMATS}. Default: now. The current, still open bar is never reported.`,
    example: '2024-01-09T00:00:00Z',
  })
  @IsOptional()
  @IsInstantInput()
  end?: string;

  @ApiPropertyOptional({
    enum: SESSIONS,
    default: 'extended',
    description:
      'Stocks: extended (04:00-20:00 New York, what is fetched) or regular (09:30-16:00, 13:00 on early closes). Crypto trades 24/7, forex 24/5, indices in the regular session.',
  })
  @IsOptional()
  @IsIn(SESSIONS)
  session?: (typeof SESSIONS)[number];
}

export class GapDto {
  @ApiProperty({ example: '2024-01-03T14:31:00.000Z', description: 'Start of the first missing bar' })
  start!: string;

  @ApiProperty({ example: '2024-01-03T14:33:00.000Z', description: 'End of the last missing bar (exclusive)' })
  end!: string;

  @ApiProperty({ example: 2 })
  bars!: number;

  @ApiProperty({
    example: true,
    description:
      'true: the range was fetched and the provider had no bar (a minute without trades); false: not fetched yet (outside the backfill checkpoint)',
  })
  fetched!: boolean;
}

export class ClosedPeriodDto {
  @ApiProperty({ example: '2024-01-03T01:00:00.000Z' })
  start!: string;

  @ApiProperty({ example: '2024-01-03T09:00:00.000Z', description: 'Exclusive' })
  end!: string;
}

export class GapReportDto {
  @ApiProperty({ example: 'AAPL' })
  symbol!: string;

  @ApiProperty({ enum: TIMEFRAME_VALUES, example: '1m' })
  timeframe!: string;

  @ApiProperty({ enum: SESSIONS, example: 'extended' })
  session!: string;

  @ApiProperty({ example: '2024-01-02T00:00:00.000Z', description: 'First bucket looked at (inclusive)' })
  start!: string;

  @ApiProperty({
    example: '2024-01-09T00:00:00.000Z',
    description: 'End of the buckets looked at (exclusive): `end`, or the start of the current bar if earlier',
  })
  end!: string;

  @ApiProperty({ example: 4800, description: 'Bars the calendar expects in the range' })
  expectedBars!: number;

  @ApiProperty({ example: 4702, description: 'Of those, bars stored' })
  storedBars!: number;

  @ApiProperty({ example: 98 })
  missingBars!: number;

  @ApiProperty({ type: [GapDto], description: 'Runs of expected but missing bars, oldest first' })
  gaps!: GapDto[];

  @ApiProperty({
    type: [ClosedPeriodDto],
    description: 'Runs of buckets when the market was closed (nights, weekends, holidays): no bar expected, not gaps',
  })
  closed!: ClosedPeriodDto[];
}
