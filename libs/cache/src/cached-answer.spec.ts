import { decodeAnswer, encodeAnswer, sizeOf, type CachedAnswer } from './cached-answer';

const answer: CachedAnswer = {
  body: Buffer.from('{"bars":[{"time":"2024-01-05T00:00:00.000Z","close":101.5}]}'),
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-candle-source': 'native' },
  expiresAt: 1_704_412_800_000,
};

describe('the Redis form of a cached answer', () => {
  it('decodes to the same bytes, headers and expiry under its own key', () => {
    const decoded = decodeAnswer('k1', encodeAnswer('k1', answer));
    expect(decoded).toEqual(answer);
    expect(decoded!.body.equals(answer.body)).toBe(true);
  });

  it('is refused under another key', () => {
    expect(decodeAnswer('k2', encodeAnswer('k1', answer))).toBeUndefined();
  });

  it('is refused when any byte of the body or metadata changed', () => {
    const value = encodeAnswer('k1', answer);
    for (const at of [value.length - 1, 20]) {
      const flipped = Buffer.from(value);
      flipped[at] ^= 0x01;
      expect(decodeAnswer('k1', flipped)).toBeUndefined();
    }
  });

  it('is refused when truncated or not ours', () => {
    const value = encodeAnswer('k1', answer);
    expect(decodeAnswer('k1', value.subarray(0, value.length - 3))).toBeUndefined();
    expect(decodeAnswer('k1', value.subarray(0, 6))).toBeUndefined();
    expect(decodeAnswer('k1', Buffer.from(JSON.stringify({ bars: [] })))).toBeUndefined();
    expect(decodeAnswer('k1', Buffer.alloc(0))).toBeUndefined();
  });

  it('keeps an empty body', () => {
    const empty = { ...answer, body: Buffer.alloc(0) };
    expect(decodeAnswer('k1', encodeAnswer('k1', empty))?.body.length).toBe(0);
  });

  it('costs the in-process tier at least its body and key', () => {
    expect(sizeOf('k1', answer)).toBeGreaterThan(answer.body.length + 2);
    expect(sizeOf('k1', { ...answer, body: Buffer.alloc(10_000) })).toBeGreaterThan(sizeOf('k1', answer));
  });
});
