import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigValidationError, SETTINGS, loadConfig, renderEnvExample } from './config.schema';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('loadConfig', () => {
  it('gives documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe('./data');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.POLYGON_RATE_LIMIT_PER_MINUTE).toBe(5);
    expect(config.POLYGON_BASE_URL).toBe('https://api.polygon.io');
  });

  it('parses and normalises valid values', () => {
    const config = loadConfig({
      PORT: '8080',
      LOG_LEVEL: 'DEBUG',
      ALLOWED_TIMEFRAMES: '1m, 5m,1h',
      DEFAULT_TIMEFRAMES: '1m',
      POLYGON_ADJUSTED: 'false',
      POLYGON_BASE_URL: 'http://127.0.0.1:9999/',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      LOG_LEVEL: 'debug',
      ALLOWED_TIMEFRAMES: ['1m', '5m', '1h'],
      DEFAULT_TIMEFRAMES: ['1m'],
      POLYGON_ADJUSTED: false,
      POLYGON_BASE_URL: 'http://127.0.0.1:9999',
    });
  });

  it('names the variable and what is allowed for an unknown timeframe', () => {
    expect(problemsOf({ ALLOWED_TIMEFRAMES: '1m,2h' })).toEqual([
      'ALLOWED_TIMEFRAMES has unsupported timeframe(s) 2h; allowed: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w',
    ]);
  });

  it('requires DEFAULT_TIMEFRAMES to be a subset of ALLOWED_TIMEFRAMES', () => {
    expect(problemsOf({ ALLOWED_TIMEFRAMES: '1m,5m', DEFAULT_TIMEFRAMES: '1h,1d' })).toEqual([
      'DEFAULT_TIMEFRAMES has unsupported timeframe(s) 1h, 1d; allowed: 1m, 5m',
    ]);
  });

  it('rejects empty items and duplicates in a timeframe list', () => {
    expect(problemsOf({ DEFAULT_TIMEFRAMES: '1h,,1d' })[0]).toMatch(
      /^DEFAULT_TIMEFRAMES must be a comma-separated list without empty items/,
    );
    expect(problemsOf({ ALLOWED_TIMEFRAMES: '1m,1m' })).toEqual(['ALLOWED_TIMEFRAMES lists a timeframe twice: "1m,1m"']);
  });

  it('reports every problem at once, one line each', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', POLYGON_BASE_URL: 'ftp://x', POLYGON_ADJUSTED: 'maybe' });
    expect(problems).toEqual([
      'PORT must be an integer from 0 to 65535, got "eighty"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'POLYGON_BASE_URL must be an http(s) URL, got "ftp://x"',
      'POLYGON_ADJUSTED must be true or false, got "maybe"',
    ]);
    expect(problems.every((line) => !line.includes('\n'))).toBe(true);
  });

  it('takes LOG_FORMAT auto (the default), pretty or json, and names what is allowed otherwise', () => {
    expect(loadConfig({}).LOG_FORMAT).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: ' Pretty ' }).LOG_FORMAT).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(problemsOf({ LOG_FORMAT: 'yaml' })).toEqual(['LOG_FORMAT must be one of auto, pretty, json, got "yaml"']);
  });

  it('takes TRUST_PROXY as Express trust proxy does, trusting no proxy by default', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' ' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'False' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1); // one hop, not "true"
    expect(loadConfig({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(0);
    expect(loadConfig({ TRUST_PROXY: ' Loopback, 10.0.0.0/8 ,192.168.1.7,fd00::/8,::1/128' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      '::1/128',
    ]);
    expect(loadConfig({ TRUST_PROXY: 'linklocal,uniquelocal' }).TRUST_PROXY).toEqual(['linklocal', 'uniquelocal']);
  });

  it('rejects a TRUST_PROXY that Express could not use, naming it, what is allowed and the bad items', () => {
    const allowed =
      'must be false, true, a number of hops, or a comma-separated list of IP addresses, CIDR ranges and loopback, linklocal, uniquelocal';
    expect(problemsOf({ TRUST_PROXY: 'yes' })).toEqual([`TRUST_PROXY ${allowed}; got "yes"`]);
    expect(problemsOf({ TRUST_PROXY: '-1' })).toEqual([`TRUST_PROXY ${allowed}; got "-1"`]);
    expect(problemsOf({ TRUST_PROXY: 'loopback,10.0.0.0/33,nginx' })).toEqual([
      `TRUST_PROXY ${allowed}; got "loopback,10.0.0.0/33,nginx" (not valid: "10.0.0.0/33", "nginx")`,
    ]);
    for (const value of ['1.5', '300.1.1.1', '10.0.0.0/0', '::/129', '10.0.0.0/8/8', '10.0.0.0/', 'loopback,', 'loopback,,10.0.0.1']) {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY must be false, true, a number of hops/)]);
    }
  });

  it('never echoes secret values in problems', () => {
    const problems = problemsOf({ POLYGON_API_KEY: 'sk-secret-123', PORT: '-1' });
    expect(problems.join('\n')).not.toContain('sk-secret-123');
  });
});

describe('.env.example', () => {
  it('lists every setting with its default, exactly as generated from the schema', () => {
    const committed = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    expect(committed).toBe(renderEnvExample());
    for (const name of Object.keys(SETTINGS)) expect(committed).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
  });
});
