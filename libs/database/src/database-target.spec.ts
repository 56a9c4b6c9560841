import { redactUrls } from './database-target';
import { advisoryLockKey } from './advisory-lock';

describe('redactUrls', () => {
  it('hides the password of every connection URL in a message', () => {
    expect(redactUrls('connect to postgres://app:s3cr3t@db:5432/x failed; retry postgresql://u:p%40ss@h/y')).toBe(
      'connect to postgres://app:***@db:5432/x failed; retry postgresql://u:***@h/y',
    );
  });

  it('leaves URLs without a password alone', () => {
    expect(redactUrls('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });
});

describe('advisoryLockKey', () => {
  it('is a stable signed 64-bit key per name', () => {
    const key = advisoryLockKey('backfill:AAPL:1m');
    expect(key).toBe(advisoryLockKey('backfill:AAPL:1m'));
    expect(key).not.toBe(advisoryLockKey('backfill:AAPL:1h'));
    expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).toBe(true);
  });
});
