import { ApiProperty } from '@nestjs/swagger';
import { TIMEFRAME_VALUES } from '@app/core';

export class EnrichmentIndicatorDto {
  @ApiProperty({ example: 'rsi:14' })
  indicator!: string;

  @ApiProperty({ nullable: true, type: String, example: '2024-01-02T20:59:00.000Z', description: 'Newest bar with stored values' })
  computedThrough!: string | null;

  @ApiProperty({ example: 12, description: 'Runs that brought it up to date' })
  runs!: number;

  @ApiProperty({ nullable: true, type: String, example: '2024-01-02T21:00:01.204Z' })
  lastRunAt!: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 18.4, description: 'Wall time of the last run of its series, ms' })
  lastDurationMs!: number | null;

  @ApiProperty({ nullable: true, type: String, example: null, description: 'Why the last run failed (retried on the next pass)' })
  lastError!: string | null;

  @ApiProperty({ nullable: true, type: String, example: null })
  lastErrorAt!: string | null;
}

export class EnrichmentSeriesDto {
  @ApiProperty({ example: 'SPY' })
  symbol!: string;

  @ApiProperty({ enum: TIMEFRAME_VALUES, example: '1m' })
  timeframe!: string;

  @ApiProperty({ nullable: true, enum: ['native', 'derived'], example: 'native', description: 'Bars the values are computed over' })
  source!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '2024-01-02T20:59:00.000Z',
    description: 'The last computed bar: the oldest over its indicators; null until all are computed',
  })
  computedThrough!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2024-01-02T20:59:00.000Z', description: 'Newest stored bar' })
  newestBar!: string | null;

  @ApiProperty({ nullable: true, type: Number, example: 0, description: 'Seconds the values lag behind the newest stored bar' })
  lagSeconds!: number | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Earliest bar written since the last run, while a run is due (values from there are computed per request)',
  })
  pendingFrom!: string | null;

  @ApiProperty({ type: [String], example: [], description: 'Indicators listed for the symbol and not computed yet' })
  missing!: string[];

  @ApiProperty({ type: [EnrichmentIndicatorDto] })
  indicators!: EnrichmentIndicatorDto[];
}

export class EnrichmentJobsDto {
  @ApiProperty({ example: true, description: 'ENRICHMENT_ENABLED on the instance that answers' })
  enabled!: boolean;

  @ApiProperty({ type: [EnrichmentSeriesDto], description: 'One per tracked symbol and timeframe, by symbol' })
  series!: EnrichmentSeriesDto[];
}
