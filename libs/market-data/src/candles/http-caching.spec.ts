import { cacheControl, entityTag, matchingTag } from './http-caching';

describe('entity tags of a cached answer', () => {
  it('differ per content coding', () => {
    expect(entityTag('abc', 'identity')).toBe('"abc"');
    expect(entityTag('abc', 'gzip')).toBe('"abc.gzip"');
    expect(entityTag('abc', 'br')).toBe('"abc.br"');
  });
});

describe('If-None-Match', () => {
  const identity = ['identity'] as const;

  it('is absent or names another answer: the answer is sent', () => {
    expect(matchingTag(undefined, 'abc', identity)).toBeUndefined();
    expect(matchingTag('"other"', 'abc', identity)).toBeUndefined();
  });

  it('matches the current tag, weakly compared, anywhere in a list', () => {
    expect(matchingTag('"abc"', 'abc', identity)).toBe('"abc"');
    expect(matchingTag('W/"abc"', 'abc', identity)).toBe('"abc"');
    expect(matchingTag('"x", "y" ,"abc"', 'abc', identity)).toBe('"abc"');
  });

  it('matches * with the preferred representation', () => {
    expect(matchingTag('*', 'abc', ['gzip', 'identity'])).toBe('"abc.gzip"');
  });

  it('matches an encoded tag only when the client still takes that coding', () => {
    expect(matchingTag('"abc.gzip"', 'abc', ['gzip', 'identity'])).toBe('"abc.gzip"');
    expect(matchingTag('"abc.gzip"', 'abc', identity)).toBeUndefined();
  });
});

describe('Cache-Control', () => {
  it('lets anyone reuse settled bars for the rest of their TTL', () => {
    expect(cacheControl(true, 59_999, false)).toBe('public, max-age=59');
  });

  it('keeps keyed reads out of shared caches', () => {
    expect(cacheControl(true, 3_600_000, true)).toBe('private, max-age=3600');
  });

  it('revalidates anything that may still change, and never goes negative', () => {
    expect(cacheControl(false, 60_000, false)).toBe('no-cache');
    expect(cacheControl(true, -5, false)).toBe('public, max-age=0');
  });
});
