export { AppConfigModule } from './config.module';
export { AppConfigService } from './app-config.service';
export { ConfigValidationError, loadConfig, renderEnvExample } from './config.schema';
export type { AppConfig, Env, LogFormat, TrustProxy } from './config.schema';
