import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Env, loadConfig } from './config.schema';
import { AppConfigService, VALIDATED_SETTINGS } from './app-config.service';

/**
 * Validates the environment once at boot through @nestjs/config (process.env plus an
 * optional .env file). Tests pass their own settings with `forRoot({ ... })`, which
 * ignores the machine's environment entirely.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(overrides?: Env): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({
          cache: true,
          skipProcessEnv: true,
          ignoreEnvFile: overrides !== undefined,
          ignoreEnvVars: overrides !== undefined,
          // Under one key: @nestjs/config copies top-level string and number values into process.env,
          // where a parsed value (a duration in ms) would not parse again in a child process.
          validate: (env) => ({ [VALIDATED_SETTINGS]: loadConfig(overrides ?? (env as Env)) }),
        }),
      ],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
