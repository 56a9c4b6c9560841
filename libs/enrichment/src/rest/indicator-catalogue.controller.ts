import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors, NoQuery, RATE_LIMITED, READ_KEY_ERRORS } from '@app/http';
import { describeIndicators } from '../indicator-catalogue';
import { MAX_INDICATORS_PER_REQUEST } from '../spec/parse-indicator-spec';
import { IndicatorCatalogueDto } from './indicator-catalogue.dto';

@ApiTags('indicators')
@Controller('api/v1')
export class IndicatorCatalogueController {
  @Get('indicators')
  @ApiOperation({
    summary: 'Supported technical indicators',
    description:
      'Every indicator the indicators route computes: its parameters (defaults and bounds, in spec order), outputs with ' +
      'their warm-up, what a value depends on, and the TA-Lib definition it follows.',
  })
  @ApiOkResponse({ type: IndicatorCatalogueDto })
  @ApiSecurity('api-key')
  @ApiErrors(
    {
      status: 400,
      description: 'An unknown query parameter',
      message: 'name: property name should not exist',
      details: [{ field: 'name', reason: 'property name should not exist' }],
    },
    ...READ_KEY_ERRORS,
    RATE_LIMITED,
  )
  catalogue(@Query() _query: NoQuery): IndicatorCatalogueDto {
    return { indicators: describeIndicators(), maxPerRequest: MAX_INDICATORS_PER_REQUEST };
  }
}
