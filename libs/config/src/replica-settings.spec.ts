import { ConfigValidationError, loadConfig } from './config.schema';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigValidationError).problems;
  }
}

describe('DATABASE_REPLICA_URLS and REPLICA_MAX_LAG_SECONDS', () => {
  it('is a list of postgres URLs, empty when unset', () => {
    expect(loadConfig({}).DATABASE_REPLICA_URLS).toEqual([]);
    expect(
      loadConfig({ DATABASE_REPLICA_URLS: ' postgres://u:p@replica-1:5432/md , postgresql://replica-2/md ' }).DATABASE_REPLICA_URLS,
    ).toEqual(['postgres://u:p@replica-1:5432/md', 'postgresql://replica-2/md']);
    expect(loadConfig({}).REPLICA_MAX_LAG_SECONDS).toBe(30);
  });

  it('names a bad item without its password, and refuses one listed twice', () => {
    expect(problemsOf({ DATABASE_REPLICA_URLS: 'postgres://u:p@a/md,http://u:secret@b/md' })).toEqual([
      'DATABASE_REPLICA_URLS must be a comma-separated list of postgres://user:password@host:port/database URLs; not valid: "http://u:***@b/md"',
    ]);
    expect(problemsOf({ DATABASE_REPLICA_URLS: 'postgres://a/md,' })[0]).toContain('not valid: ""');
    expect(problemsOf({ DATABASE_REPLICA_URLS: 'postgres://a/md,postgres://a/md' })).toEqual([
      'DATABASE_REPLICA_URLS lists a replica twice',
    ]);
    expect(problemsOf({ REPLICA_MAX_LAG_SECONDS: '-1' })).toEqual(['REPLICA_MAX_LAG_SECONDS must be an integer from 0 to 86400, got "-1"']);
  });
});
