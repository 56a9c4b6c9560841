import { isIP } from 'node:net';
import {
  formatDuration,
  formatTimeframeDurations,
  parseDuration,
  parseTimeframeDurations,
  redactCredentials,
  Timeframe,
  TIMEFRAME_VALUES,
  TimeframeDurations,
  TimeframeValue,
} from '@app/core';

/**
 * Every setting the service reads, with its default and meaning. This map is the
 * single source for validation, the typed AppConfig and .env.example (a test keeps
 * them in step). Nothing else reads process.env.
 */
export type Env = Record<string, string | undefined>;

interface Setting<T> {
  description: string;
  /** The default, as shown in .env.example. */
  example?: string;
  /** Unset by default: .env.example shows the example commented out. */
  optional?: boolean;
  parse(raw: string | undefined, env: Env): T;
}

class SettingError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

function optionalString(description: string, example: string): Setting<string | undefined> {
  return { description, example, optional: true, parse: (raw) => (raw?.trim() ? raw.trim() : undefined) };
}

function stringWithDefault(description: string, fallback: string): Setting<string> {
  return { description, example: fallback, parse: (raw) => (raw?.trim() ? raw.trim() : fallback) };
}

function integer(description: string, fallback: number, min: number, max: number): Setting<number> {
  return {
    description,
    example: String(fallback),
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new SettingError(`must be an integer from ${min} to ${max}, got "${raw}"`);
      }
      return value;
    },
  };
}

function boolean(description: string, fallback: boolean): Setting<boolean> {
  return {
    description,
    example: String(fallback),
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = raw.trim().toLowerCase();
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      throw new SettingError(`must be true or false, got "${raw}"`);
    },
  };
}

function url(description: string, fallback: string): Setting<string> {
  return {
    description,
    example: fallback,
    parse(raw) {
      const value = raw?.trim() ? raw.trim().replace(/\/+$/, '') : fallback;
      if (!/^https?:\/\/[^\s/]+/.test(value)) throw new SettingError(`must be an http(s) URL, got "${raw}"`);
      return value;
    },
  };
}

function oneOf<T extends string>(description: string, allowed: readonly T[], fallback: T): Setting<T> {
  return {
    description,
    example: fallback,
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = raw.trim().toLowerCase();
      if (!(allowed as readonly string[]).includes(value)) {
        throw new SettingError(`must be one of ${allowed.join(', ')}, got "${raw}"`);
      }
      return value as T;
    },
  };
}

function parseTimeframeList(raw: string, allowed: readonly string[]): TimeframeValue[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new SettingError(`must be a comma-separated list without empty items, got "${raw}"`);
  const unknown = items.filter((s) => !Timeframe.isValue(s) || !allowed.includes(s));
  if (unknown.length) {
    throw new SettingError(`has unsupported timeframe(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
  }
  if (new Set(items).size !== items.length) throw new SettingError(`lists a timeframe twice: "${raw}"`);
  return items as TimeframeValue[];
}

function timeframeDurations(description: string, defaults: TimeframeDurations): Setting<TimeframeDurations> {
  return {
    description,
    example: formatTimeframeDurations(defaults),
    parse(raw) {
      try {
        return Object.freeze(parseTimeframeDurations(raw, defaults));
      } catch (error) {
        throw new SettingError(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

/** A duration like 30s, 15m or 6h, in ms. */
function duration(description: string, fallbackMs: number): Setting<number> {
  return {
    description,
    example: formatDuration(fallbackMs),
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return fallbackMs;
      try {
        return parseDuration(raw);
      } catch (error) {
        throw new SettingError(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

/** The built-in alerts; ALERT_FOR names them as the webhook and deploy/prometheus/alerts.yml do. */
export const ALERT_NAMES = [
  'MarketDataSlowRoute',
  'ProviderRateLimited',
  'StorageNearlyFull',
  'BackfillFailed',
  'MarketDataStale',
  'DatabaseUnreachable',
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];
export type AlertForDurations = Readonly<Record<AlertName, number>>;

const ALERT_FOR_DEFAULTS: AlertForDurations = {
  MarketDataSlowRoute: 5 * 60_000,
  ProviderRateLimited: 0,
  StorageNearlyFull: 15 * 60_000,
  BackfillFailed: 0,
  MarketDataStale: 5 * 60_000,
  DatabaseUnreachable: 60_000,
};

/** `Name:duration,...` over the defaults; `0s` fires at the first evaluation that sees the condition. */
function alertForDurations(description: string): Setting<AlertForDurations> {
  const show = (ms: number) => (ms === 0 ? '0s' : formatDuration(ms));
  return {
    description,
    example: ALERT_NAMES.map((name) => `${name}:${show(ALERT_FOR_DEFAULTS[name])}`).join(','),
    parse(raw) {
      const result: Record<AlertName, number> = { ...ALERT_FOR_DEFAULTS };
      if (raw === undefined || raw.trim() === '') return Object.freeze(result);
      for (const item of raw.split(',').map((s) => s.trim())) {
        const [name, value, extra] = item.split(':').map((s) => s.trim());
        if (!name || value === undefined || extra !== undefined) {
          throw new SettingError(`must be a comma-separated list of AlertName:duration like MarketDataStale:10m, got "${item}"`);
        }
        if (!(ALERT_NAMES as readonly string[]).includes(name)) {
          throw new SettingError(`names "${name}", not an alert; use ${ALERT_NAMES.join(', ')}`);
        }
        try {
          result[name as AlertName] = /^0+[smhdwy]$/.test(value) ? 0 : parseDuration(value);
        } catch (error) {
          throw new SettingError(error instanceof Error ? error.message : String(error));
        }
      }
      return Object.freeze(result);
    },
  };
}

function optionalInteger(description: string, example: number, min: number, max: number): Setting<number | undefined> {
  const inner = integer(description, example, min, max);
  return { description, example: String(example), optional: true, parse: (raw) => (raw?.trim() ? inner.parse(raw, {}) : undefined) };
}

function optionalUrl(description: string, example: string): Setting<string | undefined> {
  const inner = url(description, example);
  return { description, example, optional: true, parse: (raw) => (raw?.trim() ? inner.parse(raw, {}) : undefined) };
}

/** Comma-separated postgres:// (or postgresql://) URLs; unset: none. Problems name the item, never its password. */
function postgresUrlList(description: string, example: string): Setting<readonly string[]> {
  return {
    description,
    example,
    optional: true,
    parse(raw) {
      if (!raw?.trim()) return Object.freeze([]);
      const items = raw.split(',').map((s) => s.trim());
      const bad = items.filter((item) => !isPostgresUrl(item));
      if (bad.length) {
        const shown = bad.map((item) => `"${redactCredentials(item)}"`).join(', ');
        throw new SettingError(`must be a comma-separated list of postgres://user:password@host:port/database URLs; not valid: ${shown}`);
      }
      if (new Set(items).size !== items.length) throw new SettingError('lists a replica twice');
      return Object.freeze(items);
    },
  };
}

function isPostgresUrl(item: string): boolean {
  try {
    const url = new URL(item);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Express's `trust proxy`: which proxies are believed about the client address they put in X-Forwarded-For. */
export type TrustProxy = boolean | number | readonly string[];

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An item of a trust list as Express (proxy-addr) takes it: a range name, an IP, or IP/prefix. */
function isProxyRange(item: string): boolean {
  if (PROXY_RANGE_NAMES.includes(item)) return true;
  const [address, prefix, ...rest] = item.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length) return false;
  if (prefix === undefined) return true;
  // proxy-addr refuses a /0 prefix too: better here, named, than as a TypeError at boot.
  return /^\d+$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}

function trustProxy(description: string): Setting<TrustProxy> {
  return {
    description,
    example: 'false',
    parse(raw) {
      const value = raw?.trim().toLowerCase() ?? '';
      if (value === '' || value === 'false') return false;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      const items = value.split(',').map((s) => s.trim());
      const bad = items.filter((item) => !isProxyRange(item));
      if (bad.length) {
        const which = items.length > 1 ? ` (not valid: ${bad.map((item) => `"${item}"`).join(', ')})` : '';
        throw new SettingError(
          `must be false, true, a number of hops, or a comma-separated list of IP addresses, CIDR ranges and ${PROXY_RANGE_NAMES.join(', ')}; got "${raw}"${which}`,
        );
      }
      return Object.freeze(items);
    },
  };
}

const DAY_MS = 86_400_000;
const DEFAULT_ALLOWED = TIMEFRAME_VALUES.join(',');
const DEFAULT_DEFAULTS = '1h,1d';

export const SETTINGS = {
  PORT: integer('HTTP port the API listens on', 3000, 0, 65535),
  HOST: stringWithDefault('Interface the API binds to', '0.0.0.0'),
  LOG_LEVEL: oneOf('Log level: fatal, error, warn, info, debug, trace or silent', LOG_LEVELS, 'info'),
  LOG_FORMAT: oneOf(
    'Log format: pretty (colourised, one line each), json, or auto (pretty when stdout is a terminal, else json)',
    LOG_FORMATS,
    'auto',
  ),
  DATABASE_URL: optionalString(
    'PostgreSQL >= 14 or TimescaleDB connection URL. Unset: an embedded PostgreSQL under DATA_DIR on a free local port',
    'postgres://postgres:postgres@localhost:5432/market_data',
  ),
  DATABASE_POOL_SIZE: integer('Connections in the database pool', 10, 1, 200),
  DATABASE_REPLICA_URLS: postgresUrlList(
    'Comma-separated URLs of PostgreSQL streaming replicas of DATABASE_URL: candle and derived-bar reads go there (the bars behind /candles, gaps and computed indicators); writes, migrations, locks, schedulers, symbols and stored indicators stay on the primary',
    'postgres://postgres:postgres@replica-1:5432/market_data,postgres://postgres:postgres@replica-2:5432/market_data',
  ),
  REPLICA_MAX_LAG_SECONDS: integer(
    'A replica whose replay lags the primary by more than this is skipped (reads fall back to the primary) until it catches up',
    30,
    0,
    86_400,
  ),
  DATA_DIR: stringWithDefault('Directory for the embedded PostgreSQL data (used only without DATABASE_URL)', './data'),
  ALLOWED_TIMEFRAMES: {
    description: `Timeframes the API accepts and tracks (subset of ${DEFAULT_ALLOWED})`,
    example: DEFAULT_ALLOWED,
    parse: (raw: string | undefined) => parseTimeframeList(raw?.trim() ? raw : DEFAULT_ALLOWED, TIMEFRAME_VALUES),
  } satisfies Setting<TimeframeValue[]>,
  DEFAULT_TIMEFRAMES: {
    description: 'Timeframes a symbol gets when tracked without an explicit list; must be allowed',
    example: DEFAULT_DEFAULTS,
    parse(raw: string | undefined, env: Env) {
      const allowedRaw = env.ALLOWED_TIMEFRAMES?.trim() ? env.ALLOWED_TIMEFRAMES : DEFAULT_ALLOWED;
      let allowed: string[];
      try {
        allowed = parseTimeframeList(allowedRaw, TIMEFRAME_VALUES);
      } catch {
        allowed = [...TIMEFRAME_VALUES]; // ALLOWED_TIMEFRAMES reports its own problem
      }
      return parseTimeframeList(raw?.trim() ? raw : DEFAULT_DEFAULTS, allowed);
    },
  } satisfies Setting<TimeframeValue[]>,
  POLYGON_API_KEY: optionalString(
    'Polygon.io (Massive.com) API key, sent as a Bearer token. Unset: ingestion is off, stored data is still served',
    'your-polygon-key',
  ),
  POLYGON_BASE_URL: url('Polygon REST base URL (api.massive.com serves the same API)', 'https://api.polygon.io'),
  POLYGON_RATE_LIMIT_PER_MINUTE: integer('Provider requests per minute across all instances (free plan: 5)', 5, 1, 100_000),
  POLYGON_ADJUSTED: boolean('Request split-adjusted bars', true),
  POLYGON_TIMEOUT_MS: integer('Timeout of one provider request, in ms', 30_000, 100, 600_000),
  POLYGON_MAX_RETRIES: integer('Retries of one provider request on 429, 5xx, timeouts and resets', 5, 0, 50),
  REDIS_URL: optionalString(
    'Redis URL; when set, the provider rate limit (and cache) is shared by every instance',
    'redis://localhost:6379',
  ),
  CACHE_ENABLED: boolean('Cache serialised /candles answers (in-process, and in Redis when REDIS_URL is set)', true),
  CACHE_MAX_BYTES: integer(
    'Bytes the in-process answer cache may hold (least recently used answers go first)',
    128 * 1024 * 1024,
    0,
    2 ** 40,
  ),
  CACHE_TTLS: timeframeDurations(
    'How long an answer of complete bars stays cached, per timeframe; answers with the forming bar or bars still inside the revision window last until the next bucket boundary at most',
    {
      '1m': 60_000,
      '5m': 5 * 60_000,
      '15m': 15 * 60_000,
      '30m': 30 * 60_000,
      '1h': 60 * 60_000,
      '4h': 4 * 60 * 60_000,
      '1d': DAY_MS,
      '1w': 7 * DAY_MS,
    },
  ),
  API_KEYS: optionalString('Comma-separated API keys; when set, write routes need X-API-Key', 'key-one,key-two'),
  API_KEYS_FOR_READS: boolean('Require X-API-Key on read routes too (only when API_KEYS is set)', false),
  RATE_LIMIT_PER_MINUTE: integer('Requests per minute per client (API key or IP) before 429; 0 turns it off', 600, 0, 1_000_000),
  TRUST_PROXY: trustProxy(
    'Proxies believed about the client address in X-Forwarded-For (rate limit, logs), as Express trust proxy: false (none: the socket address), true (any: only if nothing reaches the API directly), a number of hops, or IPs, CIDRs and loopback, linklocal, uniquelocal, comma-separated',
  ),
  CANDLES_PAGE_SIZE: integer('Default bars per page of /candles', 10_000, 1, 50_000),
  CANDLES_MAX_PAGE_SIZE: integer('Largest `limit` a client may ask of /candles', 50_000, 1, 1_000_000),
  BACKFILL_ENABLED: boolean(
    'Schedule backfill and refresh of tracked symbols (needs POLYGON_API_KEY); manual backfills work either way',
    true,
  ),
  BACKFILL_WINDOWS: timeframeDurations(
    'How far back history is kept per timeframe (units s, m, h, d, w, y); timeframes left out keep the default. 1m is the costly one: raise it on paid plans',
    {
      '1m': 30 * DAY_MS,
      '5m': 90 * DAY_MS,
      '15m': 180 * DAY_MS,
      '30m': 365 * DAY_MS,
      '1h': 2 * 365 * DAY_MS,
      '4h': 2 * 365 * DAY_MS,
      '1d': 5 * 365 * DAY_MS,
      '1w': 10 * 365 * DAY_MS,
    },
  ),
  REFRESH_CADENCES: timeframeDurations('How often the recent bars of each timeframe are re-read; timeframes left out keep the default', {
    '1m': 60_000,
    '5m': 5 * 60_000,
    '15m': 15 * 60_000,
    '30m': 30 * 60_000,
    '1h': 60 * 60_000,
    '4h': 60 * 60_000,
    '1d': 60 * 60_000,
    '1w': 6 * 60 * 60_000,
  }),
  REFRESH_REVISION_MINUTES: integer(
    'Intraday bars younger than this are re-read by every refresh (late trades, delayed plans); day and week bars re-read the last session',
    20,
    1,
    1440,
  ),
  SCHEDULER_TICK_SECONDS: integer('How often each instance looks for due backfill and refresh jobs', 15, 1, 3600),
  BACKFILL_CONCURRENCY: integer(
    'Backfill jobs (one symbol and timeframe each) one instance runs at once; requests still share the provider rate limit',
    4,
    1,
    64,
  ),
  BACKFILL_MAX_ATTEMPTS: integer(
    'Failed runs in a row (provider down, rate limited, bad payload) before a job is marked failed',
    5,
    1,
    100,
  ),
  MONITOR_ENABLED: boolean(
    'The performance monitor: request, candle-read and statement timing, latency windows, storage samples, alerts. Provider and backfill counters stay on either way',
    true,
  ),
  SLOW_QUERY_MS: integer(
    'A candle query slower than this (ms) has its plan captured (EXPLAIN) and logged, once per shape per 10 minutes',
    500,
    1,
    3_600_000,
  ),
  STORAGE_SAMPLE_INTERVAL: duration(
    'How often storage (bytes, rows, compression, database size) is sampled into storage_samples',
    15 * 60_000,
  ),
  STORAGE_CAPACITY_BYTES: optionalInteger(
    'Bytes the database may grow to, for percent used and days until 80%. Unset: the free space under DATA_DIR (embedded engine) plus what the database holds; unknown for a remote server',
    500 * 1024 ** 3,
    1,
    2 ** 53 - 1,
  ),
  ALERT_EVALUATION_INTERVAL: duration('How often alerts are evaluated (on one instance at a time)', 30_000),
  ALERT_FOR: alertForDurations('How long a condition must hold before its alert fires, per alert; alerts left out keep the default'),
  ALERT_SLOW_ROUTE_MS: integer("MarketDataSlowRoute fires when a route's p95 latency over ALERT_WINDOW exceeds this (ms)", 500, 1, 600_000),
  ALERT_WINDOW: duration("The window MarketDataSlowRoute's p95 latency and ProviderRateLimited's 429s look back over", 5 * 60_000),
  ALERT_STORAGE_PERCENT: integer('StorageNearlyFull fires above this percentage of the capacity', 80, 1, 100),
  ALERT_STALE_AFTER: duration(
    'MarketDataStale fires when the newest 1m bar of a tracked symbol is older than this while its market is open',
    20 * 60_000,
  ),
  ENRICHMENT_ENABLED: boolean(
    'Compute and store the indicators of every tracked symbol and timeframe after each write, plus a periodic catch-up pass; off: indicators are computed per request',
    true,
  ),
  ENRICHMENT_CONCURRENCY: integer('Enrichment jobs (one symbol and timeframe each) one instance runs at once', 2, 1, 32),
  ENRICHMENT_INTERVAL: duration(
    'How often each instance looks for series whose indicators are behind their bars (restart, new indicator, new timeframe)',
    60_000,
  ),
  ENRICHMENT_DEFAULT_INDICATORS: stringWithDefault(
    'Indicators of a symbol tracked without its own list (comma-separated, name:parameters; GET /api/v1/indicators lists them)',
    'sma:20,ema:20,rsi:14,macd:12:26:9,bbands:20:2',
  ),
  PUBLIC_BASE_URL: optionalUrl(
    'The URL clients reach this service at, for absolute links (next_url of the Polygon-compatible routes). Unset: from the request (forwarded host and scheme behind a trusted proxy)',
    'https://market-data.example.com',
  ),
  PROVIDER_PASSTHROUGH: boolean(
    'Polygon-compatible routes fetch a range that is not stored from the provider (under the shared rate limit), store it and serve it',
    false,
  ),
  ALERT_WEBHOOK_URL: optionalUrl(
    'Where firing and resolved alerts are POSTed, in Alertmanager webhook format (retried with backoff, sent once across instances)',
    'http://alert-receiver:9095/hook',
  ),
} as const;

export type SettingName = keyof typeof SETTINGS;
export type AppConfig = { [K in SettingName]: ReturnType<(typeof SETTINGS)[K]['parse']> };

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses and validates every setting; collects all problems, one line each. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const config: Partial<Record<SettingName, unknown>> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    try {
      config[name] = SETTINGS[name].parse(env[name], env);
    } catch (error) {
      if (!(error instanceof SettingError)) throw error;
      problems.push(`${name} ${error.message}`);
    }
  }
  if (problems.length) throw new ConfigValidationError(problems);
  return Object.freeze(config) as AppConfig;
}

/** The .env.example text, generated from SETTINGS. */
export function renderEnvExample(): string {
  const lines = ['# Market Data API settings. Every variable is optional; the value shown is the default.', ''];
  for (const [name, setting] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    lines.push(`# ${setting.description}`);
    lines.push(`${setting.optional ? '# ' : ''}${name}=${setting.example ?? ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
