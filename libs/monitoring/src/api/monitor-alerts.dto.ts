import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ALERT_NAMES } from '@app/config';

/** Query of GET /api/v1/monitor/alerts. */
export class MonitorAlertsQueryDto {
  @ApiPropertyOptional({
    description: 'How many recent firings and resolutions to list, newest first',
    minimum: 1,
    maximum: 500,
    default: 50,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ActiveAlertDto {
  @ApiProperty({ enum: ALERT_NAMES, example: 'BackfillFailed' })
  alertname!: string;

  @ApiProperty({ example: { timeframe: '1m' }, description: 'What the alert is about (route, timeframe); never a symbol or a user' })
  labels!: Record<string, string>;

  @ApiProperty({ enum: ['pending', 'firing'], description: 'pending: the condition holds but not yet for its ALERT_FOR duration' })
  state!: 'pending' | 'firing';

  @ApiProperty({ example: '1 1m backfill job(s) failed (NOPE): provider answered 404' })
  summary!: string;

  @ApiProperty({ nullable: true, type: Number, description: 'What was measured: seconds, a ratio, a count' })
  value!: number | null;

  @ApiProperty({ example: '2024-01-05T14:30:00.000Z', description: 'When the condition was first seen' })
  activeSince!: string;

  @ApiProperty({ nullable: true, type: String, example: '2024-01-05T14:35:00.000Z' })
  firedAt!: string | null;

  @ApiProperty({ example: '3f1c0a9e4b2d7c61', description: 'Name and labels hashed: the fingerprint the webhook carries' })
  fingerprint!: string;
}

export class AlertNotificationDto {
  @ApiProperty({ description: 'A webhook is owed for this event (ALERT_WEBHOOK_URL was set)' })
  owed!: boolean;

  @ApiProperty({ nullable: true, type: String, description: 'When the receiver accepted it' })
  sentAt!: string | null;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ nullable: true, type: String, example: 'webhook answered 503' })
  lastError!: string | null;
}

export class AlertEventDto {
  @ApiProperty({ enum: ALERT_NAMES })
  alertname!: string;

  @ApiProperty({ example: { route: 'GET /api/v1/asset/:symbol/candles' } })
  labels!: Record<string, string>;

  @ApiProperty({ enum: ['firing', 'resolved'] })
  status!: 'firing' | 'resolved';

  @ApiProperty()
  summary!: string;

  @ApiProperty({ nullable: true, type: Number })
  value!: number | null;

  @ApiProperty({ description: 'When the alert fired' })
  startsAt!: string;

  @ApiProperty({ nullable: true, type: String, description: 'When it resolved (resolution events only)' })
  endsAt!: string | null;

  @ApiProperty({ description: 'When this event was recorded' })
  at!: string;

  @ApiProperty({ type: AlertNotificationDto })
  notification!: AlertNotificationDto;

  @ApiProperty()
  fingerprint!: string;
}

export class MonitorAlertsDto {
  @ApiProperty({ type: [ActiveAlertDto], description: 'Firing now' })
  firing!: ActiveAlertDto[];

  @ApiProperty({ type: [ActiveAlertDto], description: 'Seen, not yet held for their ALERT_FOR duration' })
  pending!: ActiveAlertDto[];

  @ApiProperty({ type: [AlertEventDto], description: 'Recent firings and resolutions, newest first' })
  recent!: AlertEventDto[];

  @ApiPropertyOptional({ description: 'Why the history is missing (the database does not answer)' })
  note?: string;
}
