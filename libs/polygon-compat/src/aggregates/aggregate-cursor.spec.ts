import { decodeAggregateCursor, encodeAggregateCursor } from './aggregate-cursor';

describe('aggregate cursor', () => {
  it('carries the paging parameters and sources, as base64url the provider style', () => {
    const cursor = { adjusted: true, limit: 5000, sort: 'desc' as const, daySource: 'derived' as const, storedSource: 'native' as const };
    const text = encodeAggregateCursor(cursor);
    expect(text).toMatch(/^[\w-]+$/);
    expect(Buffer.from(text, 'base64url').toString()).toBe('adjusted=true&limit=5000&sort=desc&days=derived&stored=native');
    expect(decodeAggregateCursor(text)).toEqual(cursor);
    expect(decodeAggregateCursor(encodeAggregateCursor({ adjusted: false, limit: 1, sort: 'asc' }))).toEqual({
      adjusted: false,
      limit: 1,
      sort: 'asc',
    });
  });

  it.each([
    '',
    'bm9wZQ',
    Buffer.from('adjusted=true&limit=0&sort=asc').toString('base64url'),
    Buffer.from('adjusted=true&limit=5&sort=up').toString('base64url'),
    Buffer.from('adjusted=true&limit=5&sort=asc&days=cache').toString('base64url'),
  ])('refuses %j naming the cursor', (text) => {
    expect(() => decodeAggregateCursor(text)).toThrow(/^cursor: is not a cursor of this service/);
  });
});
