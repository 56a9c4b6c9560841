export { AppConfigModule } from './config.module';
export { AppConfigService } from './app-config.service';
export { ConfigValidationError, SETTINGS, loadConfig, renderEnvExample } from './config.schema';
export type { AppConfig, Env, LogFormat, LogLevel } from './config.schema';
