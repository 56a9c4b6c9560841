import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppConfigService, ConfigValidationError } from '@app/config';
import { AppModule } from './app.module';
import { setupApp } from './setup-app';

async function bootstrap(): Promise<void> {
  // No logger until pino takes over in setupApp: a bad configuration then prints only our lines.
  const app = await NestFactory.create(AppModule.register(), { logger: false, abortOnError: false });
  setupApp(app);
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the pool, stop the embedded database.
  app.enableShutdownHooks();
  const config = app.get(AppConfigService);
  await app.listen(config.get('PORT'), config.get('HOST'));
  app.get(Logger).log(`Market Data API listening on ${await app.getUrl()} (Swagger UI at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Bad configuration: one line per problem, no stack.
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error('Failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
