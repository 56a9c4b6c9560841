import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppConfigService } from '@app/config';
import { AllExceptionsFilter, applySettingsToApiDocs, applyTrustProxy, createValidationPipe, jsonBody } from '@app/http';
import { describeLookbacks } from '@app/market-data';

/** Everything main.ts and the end-to-end tests share: client address, logging, validation, errors, Swagger. */
export function setupApp(app: INestApplication): INestApplication {
  const config = app.get(AppConfigService);
  applyTrustProxy(app, config.get('TRUST_PROXY'));
  app.useLogger(app.get(Logger));
  // Nest's own body parser is off (see main.ts and the test app): ours reports malformed JSON as a typed error.
  app.use(jsonBody());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  const timeframes = config.allowedTimeframes.join(', ');
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
  SwaggerModule.setup(
    'docs',
    app,
    applySettingsToApiDocs(document, config, { defaultLookbacks: describeLookbacks(config.allowedTimeframes) }),
    { jsonDocumentUrl: 'docs/openapi.json' },
  );
  return app;
}
