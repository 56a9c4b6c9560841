import { presentedKey } from './polygon-key.guard';
import { publicBaseUrl } from './public-base-url';

const requestWith = (url: string, headers: Record<string, string> = {}) => ({ originalUrl: url, url, headers });

describe('presentedKey', () => {
  it('takes the key from apiKey, Authorization: Bearer or X-API-Key', () => {
    expect(presentedKey(requestWith('/v2/aggs?sort=asc&apiKey=k1'))).toBe('k1');
    expect(presentedKey(requestWith('/v2/aggs', { authorization: 'Bearer k2' }))).toBe('k2');
    expect(presentedKey(requestWith('/v2/aggs', { authorization: 'bearer  k2 ' }))).toBe('k2');
    expect(presentedKey(requestWith('/v2/aggs', { 'x-api-key': 'k3' }))).toBe('k3');
    expect(presentedKey(requestWith('/v2/aggs?apiKey=k4', { authorization: 'Bearer k4' }))).toBe('k4');
    expect(presentedKey(requestWith('/v2/aggs'))).toBeUndefined();
  });

  it('makes two different keys in one request a key no one holds', () => {
    const key = presentedKey(requestWith('/v2/aggs?apiKey=k1', { authorization: 'Bearer k2' }));
    expect(key).not.toBe('k1');
    expect(key).not.toBe('k2');
    expect(presentedKey(requestWith('/v2/aggs?apiKey=k1&apiKey=k2'))).not.toMatch(/^k[12]$/);
  });
});

describe('publicBaseUrl', () => {
  it('prefers PUBLIC_BASE_URL, without a trailing slash', () => {
    expect(publicBaseUrl('https://md.example.com/', { protocol: 'http', host: 'ignored' })).toBe('https://md.example.com');
    expect(publicBaseUrl('https://md.example.com/api/', { protocol: 'http', host: 'ignored' })).toBe('https://md.example.com/api');
  });

  it('else names the scheme and host the request reached, refusing a host that is not one', () => {
    expect(publicBaseUrl(undefined, { protocol: 'https', host: 'md.example.org:8443' })).toBe('https://md.example.org:8443');
    expect(publicBaseUrl(undefined, { protocol: 'http', host: '[::1]:3000' })).toBe('http://[::1]:3000');
    expect(() => publicBaseUrl(undefined, { protocol: 'http', host: 'evil.example/"x' })).toThrow(/^Host: /);
  });
});
