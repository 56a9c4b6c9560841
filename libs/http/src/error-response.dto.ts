import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOC_PLACEHOLDERS } from './api-docs';

export class FieldProblemDto {
  @ApiProperty({ example: 'timeframe' })
  field!: string;

  @ApiProperty({ example: `"2h" is not a supported timeframe; use one of ${DOC_PLACEHOLDERS.allowedTimeframeList}` })
  reason!: string;
}

/** The one error shape of every 4xx/5xx answer (documents apps/api's ErrorBody for Swagger). */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: `timeframe: "2h" is not a supported timeframe; use one of ${DOC_PLACEHOLDERS.allowedTimeframeList}` })
  message!: string;

  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'Which fields were rejected and why (400 only)' })
  details?: FieldProblemDto[];

  @ApiProperty({ example: '0b6f1f0e-3c8a-4c1e-9a55-0d5c2f7f4b1e', description: 'Same as the X-Request-Id header and the log lines' })
  requestId!: string;
}
