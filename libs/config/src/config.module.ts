import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Env, loadConfig } from './config.schema';
import { AppConfigService } from './app-config.service';

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
          validate: (env) => loadConfig(overrides ?? (env as Env)),
        }),
      ],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
