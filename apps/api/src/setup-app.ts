import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppConfigService } from '@app/config';
import { applySettingsToApiDocs } from '@app/market-data';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { createValidationPipe } from './http/validation.pipe';

/** Everything main.ts and the end-to-end tests share: logging, validation, errors, Swagger. */
export function setupApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  const timeframes = app.get(AppConfigService).allowedTimeframes.join(', ');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Market Data API')
      .setDescription(
        `OHLCV candles from Polygon.io, stored in PostgreSQL/TimescaleDB. Supported timeframes: ${timeframes}. ` +
          'Times are ISO-8601 UTC (Unix milliseconds accepted); a bar is stamped with the start of its window.',
      )
      .setVersion('1')
      .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
      .build(),
  );
  // Route descriptions and timeframe enums are filled in from the running configuration.
  SwaggerModule.setup('docs', app, applySettingsToApiDocs(document, app.get(AppConfigService)), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
