import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { FakePolygonServer } from '@app/polygon/testing';
import type { TestApp } from '@app/testing';
import { FRIDAY_11_NY, ManualClock, backfillEnv, withClock } from './backfill-support';
import { type DashboardTab, chartData, openDashboard, waitForChart } from './support/browser';
import type { PageDocument, PageStorage } from './support/browser-page';
import { createTestApp } from './support/test-app';

// In-page code runs in Chromium; these are its globals for the type check (support/browser-page.ts).
declare const document: PageDocument;
declare const sessionStorage: PageStorage;
declare const localStorage: PageStorage;

jest.setTimeout(180_000);

const KEY = 'dash-key-7f3a';
const card = (symbol: string) => `.symbol-card[data-symbol="${symbol}"]`;

describe('the dashboard symbols and operations tabs, in Chromium, against the API and a fake Polygon', () => {
  let fake: FakePolygonServer;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let tab: DashboardTab;
  let page: Page;

  beforeAll(async () => {
    fake = await FakePolygonServer.start();
    // The service's clock stands on a trading day (the page's own clock need not: it follows the newest bars).
    // Writes need a key; alerts are evaluated every second and fire at once; backfills read a day of 1m from the fake.
    t = await createTestApp('postgresql', {
      env: backfillEnv(fake, { API_KEYS: KEY, ALERT_EVALUATION_INTERVAL: '1s', BACKFILL_WINDOWS: '1m:1d,5m:2d,1h:5d,1d:30d' }),
      customize: withClock(new ManualClock(FRIDAY_11_NY)),
    });
    ({ base, browser, tab } = await openDashboard(t, '/dashboard/'));
    page = tab.page;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.stop();
  });

  afterEach(() => {
    expect(tab.problems).toEqual([]);
  });

  it('says how to track a symbol while none is tracked', async () => {
    await waitForChart(page, 'state', 'empty');
    const empty = (await page.textContent('#chart-empty'))!;
    expect(empty).toContain('No symbols are tracked yet');
    expect(empty).toContain(`curl -X POST ${base}/api/v1/symbols`);
    await page.click('#chart-empty button');
    expect(await page.isVisible('#view-symbols')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('add-symbol-input');
    await page.waitForFunction(() => document.getElementById('symbols-list')!.textContent!.includes('No symbols are tracked yet'));
    // DEFAULT_TIMEFRAMES are pre-checked (the tab's code loads when it is first opened).
    await page.waitForSelector('#add-symbol-timeframes input');
    const checked = await page.$$eval('#add-symbol-timeframes input:checked', (boxes) => boxes.map((b) => b.value));
    expect(checked).toEqual(['1h', '1d']);
    expect(await page.textContent('#add-symbol-hint')).toContain('DEFAULT_TIMEFRAMES (1h, 1d)');
  });

  it("asks for the API key once a write is refused, keeps it for the tab only, and shows a 400's reason", async () => {
    await page.fill('#add-symbol-input', 'AA PL');
    await page.click('#add-symbol-form button[type="submit"]');
    await page.waitForSelector('#api-key-dialog[open]');
    expect(await page.textContent('#api-key-reason')).toBe('X-API-Key header is required for this route');
    await page.fill('#api-key-input', 'not-the-key');
    await page.click('#api-key-dialog button[value="save"]');
    await page.waitForFunction(() => document.getElementById('api-key-reason')!.textContent === 'X-API-Key is not valid');
    await page.waitForSelector('#api-key-dialog[open]');
    await page.fill('#api-key-input', KEY);
    await page.click('#api-key-dialog button[value="save"]');
    await page.waitForSelector('#add-symbol-error:not([hidden])');
    expect(await page.textContent('#add-symbol-error')).toBe(
      'symbol: must be a ticker like AAPL, BRK.B, X:BTCUSD (crypto), C:EURUSD (forex) or I:SPX (index), got "AA PL"',
    );
    const storage = await page.evaluate(() => ({
      session: sessionStorage.getItem('market-data-api-key'),
      local: localStorage.length,
      cookies: document.cookie,
    }));
    expect(storage).toEqual({ session: KEY, local: 0, cookies: '' });
    expect(await page.isVisible('#api-key-badge')).toBe(true);
    expect(tab.requests.filter((url) => url.includes(KEY) || url.includes('not-the-key'))).toEqual([]);
  });

  it('tracks a symbol in the timeframes checked and shows each backfill progressing to done', async () => {
    await page.fill('#add-symbol-input', 'aapl');
    await page.uncheck('#add-symbol-timeframes input[value="1d"]');
    await page.check('#add-symbol-timeframes input[value="1m"]');
    await page.click('#add-symbol-form button[type="submit"]');
    await page.waitForSelector(card('AAPL'));
    expect(await page.textContent('#symbols-status')).toBe('Tracking AAPL in 1m, 1h; its backfill starts now.');
    expect(await page.$$eval(`${card('AAPL')} [data-field="timeframes"] .chip`, (chips) => chips.map((c) => c.textContent))).toEqual([
      '1m',
      '1h',
    ]);
    // The scheduler starts the jobs at once; the page refreshes every few seconds until they are done.
    await page.waitForFunction((selector) => document.querySelectorAll(`${selector} [data-job-state="done"]`).length === 2, card('AAPL'), {
      timeout: 30_000,
    });
    const progress = await page.$$eval(`${card('AAPL')} progress`, (bars) =>
      bars.map((bar) => [bar.getAttribute('aria-label'), Number(bar.value)]),
    );
    expect(progress).toEqual([
      ['AAPL 1m backfill progress', 100],
      ['AAPL 1h backfill progress', 100],
    ]);
    const jobs = (await request(t.server).get('/api/v1/backfill/jobs?symbol=AAPL').expect(200)).body.jobs as { bars: number }[];
    const rowBars = await page.$$eval(`${card('AAPL')} tbody tr td:nth-child(4)`, (cells) => cells.map((c) => c.textContent));
    expect(rowBars).toEqual(jobs.map((job) => job.bars.toLocaleString('en-US')));
    // The chart picked up the first tracked symbol.
    expect(await page.$$eval('#symbol-select option', (options) => options.map((o) => o.value))).toEqual(['AAPL']);
  });

  it('starts a backfill on demand', async () => {
    await page.click(`${card('AAPL')} [data-action="backfill"]`);
    // Built from the 202's body: the jobs the API made due.
    await page.waitForFunction(() => document.getElementById('symbols-status')!.textContent!.startsWith('Backfill started for AAPL'));
    expect(await page.textContent('#symbols-status')).toBe('Backfill started for AAPL: 1m, 1h.');
  });

  it("changes a symbol's timeframes", async () => {
    await page.click(`${card('AAPL')} [data-action="edit"]`);
    const form = `${card('AAPL')} form.edit-timeframes`;
    await page.uncheck(`${form} input[value="1h"]`);
    await page.check(`${form} input[value="5m"]`);
    await page.click(`${form} button[type="submit"]`);
    await page.waitForFunction(
      (selector) =>
        [...document.querySelectorAll(`${selector} [data-field="timeframes"] .chip`)].map((c) => c.textContent).join(',') === '1m,5m',
      card('AAPL'),
    );
    expect(await page.textContent('#symbols-status')).toBe('AAPL now tracks 1m, 5m.');
    expect((await request(t.server).get('/api/v1/symbol/AAPL').expect(200)).body.timeframes).toEqual(['1m', '5m']);
    // The 1h job stays listed, no longer tracked; 5m gets its own.
    await page.waitForFunction((selector) => document.querySelector(selector)!.textContent!.includes('(not tracked)'), card('AAPL'));
  });

  it('pauses a symbol', async () => {
    await page.click(`${card('AAPL')} [data-action="pause"]`);
    await page.waitForFunction(
      (selector) => document.querySelector(`${selector} [data-action="pause"]`)!.textContent === 'Resume',
      card('AAPL'),
    );
    expect((await request(t.server).get('/api/v1/symbol/AAPL').expect(200)).body.active).toBe(false);
    expect(await page.textContent(`${card('AAPL')} .symbol-head`)).toContain('paused');
  });

  it('shows the failed job and a BackfillFailed alert when the provider answers 404', async () => {
    fake.faults.enqueue('not-found');
    await page.fill('#add-symbol-input', 'ZZZZ');
    await page.uncheck('#add-symbol-timeframes input[value="1h"]');
    await page.check('#add-symbol-timeframes input[value="1m"]');
    await page.click('#add-symbol-form button[type="submit"]');
    await page.waitForSelector(`${card('ZZZZ')} [data-job-state="failed"]`, { timeout: 30_000 });
    expect(await page.textContent(`${card('ZZZZ')} .job-error`)).toMatch(/404|not found/i);

    await page.click('#tab-operations');
    await page.waitForSelector('#ops-alerts [data-alert="BackfillFailed"][data-alert-state="firing"]', { timeout: 30_000 });
    expect(await page.textContent('#ops-alerts [data-alert="BackfillFailed"]')).toMatch(/1 1m backfill job\(s\) failed \(ZZZZ\)/);
    await page.waitForFunction(() => document.getElementById('health-badge')!.textContent === 'Health: ok, 1 alert firing');
    expect(await page.getAttribute('#health-badge', 'data-status')).toBe('warn');
  });

  it('shows health, latency per timeframe, storage, provider budget and backfill outcomes', async () => {
    expect(await page.textContent('#ops-health')).toMatch(/Databaseup postgresql .*Ingestionup on \(polygon\)/);
    expect(await page.textContent('#ops-provider')).toMatch(/Requests\d/);
    const requests = Number((await page.textContent('#ops-provider dl dd:nth-of-type(2)'))!.replace(/,/g, ''));
    expect(requests).toBeGreaterThan(0);
    expect(await page.textContent('#ops-backfill')).toMatch(/1mfailed1/);
    expect(await page.textContent('#ops-storage')).toMatch(/market_data|No storage sample yet/);
    // Candle reads are timed per timeframe; the chart of AAPL 1m made some.
    await page.click('#tab-chart');
    await waitForChart(page, 'symbol', 'AAPL');
    await page.click('#tab-operations');
    await page.waitForSelector('#ops-latency table', { timeout: 30_000 });
    expect(await page.$$eval('#ops-latency tbody tr td:first-child', (cells) => cells.map((c) => c.textContent))).toContain('1m');
    expect((await chartData(page)).symbol).toBe('AAPL');
  });

  it('stops tracking a symbol after asking', async () => {
    await page.click('#tab-symbols');
    await page.click(`${card('ZZZZ')} [data-action="remove"]`);
    await page.waitForSelector('#confirm-dialog[open]');
    expect(await page.textContent('#confirm-text')).toBe('Stop tracking ZZZZ? Its stored bars stay readable.');
    await page.click('#confirm-dialog button[value="confirm"]');
    await page.waitForSelector(card('ZZZZ'), { state: 'detached' });
    expect(await page.textContent('#symbols-status')).toBe('ZZZZ is no longer tracked.');
    await request(t.server).get('/api/v1/symbol/ZZZZ').expect(404);
  });
});
