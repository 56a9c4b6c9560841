import { advisoryLockKey } from './advisory-lock';

describe('advisoryLockKey', () => {
  it('is a stable signed 64-bit key per name', () => {
    const key = advisoryLockKey('backfill:AAPL:1m');
    expect(key).toBe(advisoryLockKey('backfill:AAPL:1m'));
    expect(key).not.toBe(advisoryLockKey('backfill:AAPL:1h'));
    expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).toBe(true);
  });
});
