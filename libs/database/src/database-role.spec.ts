import { lsnValue } from './database-role';

describe('lsnValue', () => {
  it('orders WAL positions as PostgreSQL does, across the 32-bit boundary of the low word', () => {
    expect(lsnValue('0/16B3748')).toBe(0x16b3748n);
    expect(lsnValue('1/0')).toBe(2n ** 32n);
    expect(lsnValue('0/FFFFFFFF') < lsnValue('1/0')).toBe(true);
    expect(lsnValue('16/B374D848') > lsnValue('16/B374D847')).toBe(true);
  });
});
