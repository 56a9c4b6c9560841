import { CursorError, CursorQuery, decodeCursor, encodeCursor } from './candle-cursor';

const QUERY: CursorQuery = { symbol: 'AAPL', timeframe: '1m', sort: 'asc', start: 1_000, end: undefined };
const STATE = { window: { start: 1_000, end: 9_000_000 }, after: 61_000 };

describe('candle cursors', () => {
  it('round-trip the window and the last bar served, as URL-safe text', () => {
    const cursor = encodeCursor(QUERY, STATE);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, { ...QUERY })).toEqual(STATE);
  });

  it.each([
    ['symbol', { symbol: 'MSFT' }],
    ['timeframe', { timeframe: '5m' }],
    ['sort', { sort: 'desc' as const }],
    ['start', { start: 1_001 }],
    ['end', { end: 9_000_000 }],
    ['source', { source: 'derived' }],
    ['session', { session: 'regular' }],
  ])('refuse a query with another %s', (_name, change) => {
    const cursor = encodeCursor(QUERY, STATE);
    expect(() => decodeCursor(cursor, { ...QUERY, ...change })).toThrow(/belongs to a different query/);
  });

  it('treat the default source and session like a query from before they existed, so old cursors still work', () => {
    const cursor = encodeCursor(QUERY, STATE);
    expect(decodeCursor(cursor, { ...QUERY, source: 'auto', session: 'extended' })).toEqual(STATE);
    const native = encodeCursor({ ...QUERY, source: 'native', session: 'extended' }, STATE);
    expect(() => decodeCursor(native, { ...QUERY, source: 'derived', session: 'extended' })).toThrow(/belongs to a different query/);
  });

  it.each([
    '',
    '!!!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('[2,"x",1,2,3]').toString('base64url'),
    Buffer.from('[1,"x",1,2,1.5]').toString('base64url'),
  ])('refuse %j as not issued here', (cursor) => {
    expect(() => decodeCursor(cursor, QUERY)).toThrow(CursorError);
    expect(() => decodeCursor(cursor, QUERY)).toThrow('is not a cursor issued by this API');
  });
});
