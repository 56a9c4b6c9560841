import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import request from 'supertest';
import type { TestApp } from '@app/testing';
import { createTestApp } from './support/test-app';

const CHART_PACKAGE = dirname(require.resolve('lightweight-charts/package.json'));

/** The body as bytes (supertest would otherwise parse text/javascript as a string). */
const rawBody = (res: request.Response, done: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('the dashboard is served by the API itself', () => {
  let t: TestApp;
  const get = (path: string) => request(t.server).get(path);

  beforeAll(async () => {
    t = await createTestApp('postgresql', { env: { ALLOWED_TIMEFRAMES: '1m,5m,1h,1d', DEFAULT_TIMEFRAMES: '1h,1d', API_KEYS: 'k1' } });
  });

  afterAll(() => t.close());

  it('redirects / and /dashboard to /dashboard/, keeping the query', async () => {
    const root = await get('/').expect(302);
    expect(root.headers.location).toBe('dashboard/');
    const bare = await get('/dashboard?symbol=SPY&timeframe=1m').expect(302);
    expect(bare.headers.location).toBe('dashboard/?symbol=SPY&timeframe=1m');
  });

  it('serves the page with a Content-Security-Policy that allows no inline script or style, and nosniff', async () => {
    const page = await get('/dashboard/').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // Every script has a src (the policy would refuse an inline one anyway), and no element carries a style attribute.
    const html = page.text;
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/\ssrc="\.\/js\/main\.js"/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.tradingview\.com\/)/);
  });

  it('preloads the modules the first chart needs, not those of the tabs opened later', async () => {
    const html = (await get('/dashboard/').expect(200)).text;
    const preloads = [...html.matchAll(/<link rel="modulepreload" href="\.\/([^"]+)" \/>/g)].map((match) => match[1]);
    expect(preloads).toEqual(
      expect.arrayContaining(['js/chart/chart-view.js', 'js/chart/candle-chart.js', 'vendor/lightweight-charts.mjs', 'js/api.js']),
    );
    expect(preloads.filter((path) => path.startsWith('js/symbols/') || path.startsWith('js/operations/'))).toEqual([]);
    for (const path of preloads) await get(`/dashboard/${path}`).expect(200);
  });

  it('serves lightweight-charts from node_modules, compressed, with a tag that gives 304s', async () => {
    const file = readFileSync(join(CHART_PACKAGE, 'dist/lightweight-charts.standalone.production.mjs'));
    const plain = await get('/dashboard/vendor/lightweight-charts.mjs')
      .set('Accept-Encoding', 'identity')
      .buffer(true)
      .parse(rawBody)
      .expect(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((plain.body as Buffer).equals(file)).toBe(true);
    const br = await get('/dashboard/vendor/lightweight-charts.mjs').set('Accept-Encoding', 'br').buffer(true).parse(rawBody).expect(200);
    expect(br.headers['content-encoding']).toBe('br');
    // supertest decodes the body; the wire size is in Content-Length.
    expect(Number(br.headers['content-length'])).toBeLessThan(file.length / 2);
    expect((br.body as Buffer).equals(file)).toBe(true);
    await get('/dashboard/vendor/lightweight-charts.mjs').set('Accept-Encoding', 'br').set('If-None-Match', br.headers.etag).expect(304);
    const license = await get('/dashboard/vendor/lightweight-charts-LICENSE.txt').expect(200);
    expect(license.text).toContain('Apache License');
  });

  it('serves only its own files: scripts and styles by type, anything else 404 (no path escapes the folder)', async () => {
    const script = await get('/dashboard/js/main.js').expect(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/dashboard/css/dashboard.css').expect(200)).headers['content-type']).toBe('text/css; charset=utf-8');
    await get('/dashboard/../package.json').expect(404);
    await get('/dashboard/%2e%2e/%2e%2e/package.json').expect(404);
    const missing = await get('/dashboard/nope.js').expect(404);
    expect(missing.body.message).toBe('/dashboard/nope.js is not part of the dashboard');
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
  });

  it('tells the page the running configuration: allowed and default timeframes, whether keys are needed, never the keys', async () => {
    const config = await get('/dashboard/config.json').expect(200);
    expect(config.headers['cache-control']).toBe('no-store');
    expect(config.body).toEqual({
      allowedTimeframes: ['1m', '5m', '1h', '1d'],
      defaultTimeframes: ['1h', '1d'],
      apiKeys: { writes: true, reads: false },
      pageSize: 10_000,
      publicBaseUrl: null,
    });
    expect(config.text).not.toContain('k1');
  });

  it('keeps the dashboard out of the API reference', async () => {
    const document = await get('/docs/openapi.json').expect(200);
    expect(Object.keys(document.body.paths as object).filter((path) => path.startsWith('/dashboard') || path === '/')).toEqual([]);
  });
});
