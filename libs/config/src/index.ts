export { AppConfigModule } from './config.module';
export { AppConfigService } from './app-config.service';
export { ConfigValidationError, SETTINGS, loadConfig, renderEnvExample } from './config.schema';
export type { AppConfig, Env, LogLevel } from './config.schema';
export { InvalidTimeframeError, TIMEFRAME_VALUES, Timeframe } from './timeframe';
export type { PolygonRange, PolygonTimespan, TimeframeValue } from './timeframe';
export { newYorkDayStart, newYorkOffsetMs, newYorkWallToUtc, newYorkWeekStart } from './new-york-time';
export { formatDuration, parseDuration } from './timeframe-duration-map';
export type { TimeframeDurations } from './timeframe-duration-map';
