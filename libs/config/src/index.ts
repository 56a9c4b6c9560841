export { AppConfigModule } from './config.module';
export { AppConfigService } from './app-config.service';
export { ALERT_NAMES, ConfigValidationError, loadConfig, renderEnvExample } from './config.schema';
export type { AlertForDurations, AlertName, AppConfig, Env, LogFormat, TrustProxy } from './config.schema';
