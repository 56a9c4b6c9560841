import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { type Candle, HOUR_MS, MINUTE_MS, Timeframe, sleep } from '@app/core';
import { CandleRepository, TrackedSymbolsService } from '@app/market-data';
import { spyMinuteBars, spyMinuteCandles } from '@app/polygon/testing';
import type { TestApp } from '@app/testing';
import {
  type DashboardTab,
  chartData,
  dragChartRight,
  openDashboard,
  openTab,
  startBrowser,
  waitForChart,
  waitForReadyChart,
} from './support/browser';
import type { PageDocument, PageStyle } from './support/browser-page';
import { createTestApp } from './support/test-app';

// In-page code runs in Chromium; these are its globals for the type check (support/browser-page.ts).
declare const document: PageDocument;
declare const window: { readonly innerWidth: number };
declare const location: { readonly hash: string };
declare const getComputedStyle: PageStyle;

jest.setTimeout(180_000);

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const FIXTURE = spyMinuteBars();
const LAST_FIXTURE_BAR = FIXTURE[FIXTURE.length - 1].t;
const fixtureBetween = (from: number, to: number) => FIXTURE.filter((bar) => bar.t >= from && bar.t < to);
const distinctBuckets = (timeframe: '1d' | '1w') => new Set(FIXTURE.map((bar) => Timeframe.of(timeframe).bucketStart(bar.t))).size;

/** An hour of bitcoin, complete or forming: the bar of the current hour is still open. */
function btcHour(time: number, close: number): Candle {
  return {
    symbol: 'X:BTCUSD',
    timeframe: '1h',
    time,
    open: 40_000,
    high: Math.max(40_100, close),
    low: 39_900,
    close,
    volume: 12.5,
    vwap: null,
    trades: null,
  };
}

describe('the dashboard chart, in Chromium, against the API on PostgreSQL', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let tab: DashboardTab;
  let page: Page;

  beforeAll(async () => {
    // Ingestion off (no provider key): the data is what the test stores. Pages of 500 bars make the chart page by cursor.
    t = await createTestApp('postgresql', {
      env: { ALLOWED_TIMEFRAMES: '1m,5m,1h,1d,1w', DEFAULT_TIMEFRAMES: '1h,1d', CANDLES_PAGE_SIZE: '500' },
    });
    await t.app.get(CandleRepository).upsertMany(spyMinuteCandles());
    const symbols = t.app.get(TrackedSymbolsService);
    await symbols.track('SPY', ['1m', '1d', '1w']);
    await symbols.track('X:BTCUSD', ['1h']);
    ({ base, browser, tab } = await openDashboard(t, '/'));
    page = tab.page;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    // Nothing the page did may have failed quietly: no console error, no uncaught error, no CSP refusal.
    expect(tab.problems).toEqual([]);
  });

  it('opens at / with a timeframe list that is exactly ALLOWED_TIMEFRAMES, and TradingView attribution', async () => {
    expect(new URL(page.url()).pathname).toBe('/dashboard/');
    const timeframes = await page.$$eval('#timeframe-select option', (options) => options.map((o) => o.value));
    expect(timeframes).toEqual(['1m', '5m', '1h', '1d', '1w']);
    const symbols = await page.$$eval('#symbol-select option', (options) => options.map((o) => o.value));
    expect(symbols).toEqual(['SPY', 'X:BTCUSD']);
    const attribution = page.locator('.attribution a[href="https://www.tradingview.com/"]');
    expect(await attribution.textContent()).toBe('TradingView');
    expect(await attribution.isVisible()).toBe(true);
  });

  it('picks SPY and 1m and draws the day of bars the store holds, paging by cursor, from this origin only', async () => {
    await page.selectOption('#symbol-select', 'SPY');
    await page.selectOption('#timeframe-select', '1m');
    await page.click('#range-buttons [data-range="1D"]');
    await waitForReadyChart(page);
    const chart = await chartData(page);
    // Nothing in the last day (the fixture is January 2011): the day ending at the newest stored bar.
    expect(chart.windowEnd).toBe(iso(LAST_FIXTURE_BAR + MINUTE_MS));
    expect(chart.windowStart).toBe(iso(LAST_FIXTURE_BAR + MINUTE_MS - DAY_MS));
    const expected = fixtureBetween(LAST_FIXTURE_BAR + MINUTE_MS - DAY_MS, LAST_FIXTURE_BAR + MINUTE_MS);
    expect(expected.length).toBeGreaterThan(500);
    expect(chart).toMatchObject({
      symbol: 'SPY',
      timeframe: '1m',
      barCount: String(expected.length),
      firstTime: iso(expected[0].t),
      lastTime: iso(LAST_FIXTURE_BAR),
      formingTime: '',
    });
    expect(await page.textContent('#chart-status')).toContain('nothing in the chosen range, so the newest stored bars are shown');
    const candleRequests = tab.requests.filter((url) => url.includes('/api/v1/asset/SPY/candles'));
    expect(candleRequests.some((url) => new URL(url).searchParams.has('cursor'))).toBe(true);
    // Chart library, scripts, styles and data: all from the API's own origin.
    expect(tab.requests.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    expect(tab.requests).toContain(`${base}/dashboard/vendor/lightweight-charts.mjs`);
  });

  it('shows the OHLCV of the bar under the crosshair, in New York time', async () => {
    const box = (await page.locator('#chart').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForFunction((last) => {
      const time = document.getElementById('legend')!.dataset.time;
      return time !== undefined && time !== '' && time !== last;
    }, iso(LAST_FIXTURE_BAR));
    const time = await page.$eval('#legend', (legend) => legend.dataset.time!);
    const bar = FIXTURE.find((b) => b.t === Date.parse(time))!;
    expect(bar).toBeDefined();
    const text = (await page.textContent('#legend'))!;
    expect(text).toContain(`O ${bar.o.toFixed(2)}`);
    expect(text).toContain(`H ${bar.h.toFixed(2)}`);
    expect(text).toContain(`L ${bar.l.toFixed(2)}`);
    expect(text).toContain(`C ${bar.c.toFixed(2)}`);
    // 2011-01-31 is winter: New York is UTC-5.
    const newYork = new Date(bar.t - 5 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');
    expect(text).toContain(`${newYork} NY`);
  });

  it('marks the gaps the gap report finds in the bars on screen', async () => {
    const chart = await chartData(page);
    const report = await request(t.server)
      .get(`/api/v1/asset/SPY/gaps?timeframe=1m&start=${chart.firstTime}&end=${chart.windowEnd}`)
      .expect(200);
    const loaded = fixtureBetween(Date.parse(chart.firstTime!), Date.parse(chart.windowEnd!));
    const markedBars = new Set(
      (report.body.gaps as { end: string }[])
        .map((gap) => loaded.find((bar) => bar.t >= Date.parse(gap.end))?.t)
        .filter((t) => t !== undefined),
    );
    expect(markedBars.size).toBeGreaterThan(0);
    await waitForChart(page, 'gapCount', String(markedBars.size));
  });

  it('loads older bars when dragged to the left edge, and with Home from the keyboard, none cut', async () => {
    const before = await chartData(page);
    for (let attempt = 0; attempt < 6 && (await chartData(page)).firstTime === before.firstTime; attempt++) {
      await dragChartRight(page, 900);
      await sleep(400);
      await waitForReadyChart(page);
    }
    const dragged = await chartData(page);
    expect(Date.parse(dragged.firstTime!)).toBeLessThan(Date.parse(before.firstTime!));
    // Every stored bar from the new first one to the window's end is drawn: no page was skipped.
    expect(dragged.barCount).toBe(String(fixtureBetween(Date.parse(dragged.firstTime!), Date.parse(dragged.windowEnd!)).length));

    await page.focus('#chart');
    await page.keyboard.press('Home');
    await page.waitForFunction((first) => document.getElementById('chart')!.dataset.firstTime! < first, dragged.firstTime!);
    await waitForReadyChart(page);
    const keyed = await chartData(page);
    expect(keyed.barCount).toBe(String(fixtureBetween(Date.parse(keyed.firstTime!), Date.parse(keyed.windowEnd!)).length));
  });

  it('switches to 1d and 1w: the sessions and weeks rolled up from the stored minutes', async () => {
    await page.selectOption('#timeframe-select', '1d');
    await page.click('#range-buttons [data-range="3M"]');
    await waitForChart(page, 'timeframe', '1d');
    await waitForReadyChart(page);
    expect((await chartData(page)).barCount).toBe(String(distinctBuckets('1d')));
    expect(distinctBuckets('1d')).toBe(20); // January 2011: 21 weekdays, Martin Luther King Day closed

    await page.selectOption('#timeframe-select', '1w');
    await waitForChart(page, 'timeframe', '1w');
    await waitForReadyChart(page);
    const weeks = await chartData(page);
    expect(weeks.barCount).toBe(String(distinctBuckets('1w')));
    expect(weeks.firstTime).toBe(iso(Timeframe.of('1w').bucketStart(FIXTURE[0].t)));
  });

  it('draws indicators from the API: SMA over the price, RSI and MACD in panes of their own', async () => {
    await page.selectOption('#timeframe-select', '1m');
    await waitForChart(page, 'timeframe', '1m');
    await waitForReadyChart(page);
    for (const spec of ['sma:20', 'rsi:14', 'macd:12:26:9']) await page.check(`input[data-indicator="${spec}"]`);
    await waitForChart(page, 'indicators', 'sma:20,rsi:14,macd:12:26:9');
    expect((await chartData(page)).panes).toBe('3');
    expect(new URL(page.url()).searchParams.get('indicators')).toBe('sma:20,rsi:14,macd:12:26:9');
    expect(
      tab.requests.some((url) => url.includes('/api/v1/asset/SPY/indicators?') && url.includes('indicators=sma%3A20%2Crsi%3A14')),
    ).toBe(true);
    expect(await page.textContent('#legend')).toMatch(/SMA \d+\.\d+.*RSI \d+\.\d+.*MACD -?\d/);
    await page.uncheck('input[data-indicator="rsi:14"]');
    await page.uncheck('input[data-indicator="macd:12:26:9"]');
    await waitForChart(page, 'indicators', 'sma:20');
    expect((await chartData(page)).panes).toBe('1');
  });

  it("shows the API's 400 reason instead of a blank chart (regular session on 1m, a range that ends before it starts)", async () => {
    await page.selectOption('#session-select', 'regular');
    await waitForChart(page, 'state', 'error');
    const error = await page.textContent('#chart-error');
    expect(error).toBe('session: 1m bars are served as stored; session=regular needs a timeframe above 1m');
    expect(await page.isVisible('#chart-empty')).toBe(true);
    expect(await page.textContent('#chart-empty')).toContain('session=regular needs a timeframe above 1m');

    await page.selectOption('#session-select', 'extended');
    await waitForReadyChart(page);
    await page.click('#range-buttons [data-range="custom"]');
    await page.fill('#range-start', '2011-01-20T10:00');
    await page.fill('#range-end', '2011-01-19T10:00');
    await page.click('#custom-range button[type="submit"]');
    await waitForChart(page, 'state', 'error');
    expect(await page.textContent('#chart-error')).toBe(
      'start: must be before end (2011-01-19T15:00:00.000Z); got 2011-01-20T15:00:00.000Z',
    );

    // A custom range is New York time: 09:30-16:00 on 2011-01-19 is 14:30-21:00 UTC.
    await page.fill('#range-start', '2011-01-19T09:30');
    await page.fill('#range-end', '2011-01-19T16:00');
    await page.click('#custom-range button[type="submit"]');
    await waitForReadyChart(page);
    const regularHours = fixtureBetween(Date.parse('2011-01-19T14:30:00Z'), Date.parse('2011-01-19T21:00:00Z'));
    expect(await chartData(page)).toMatchObject({ barCount: String(regularHours.length), firstTime: iso(regularHours[0].t) });
    expect(await page.textContent('#query-url')).toBe(
      `${base}/api/v1/asset/SPY/candles?timeframe=1m&start=2011-01-19T14:30:00.000Z&end=2011-01-19T21:00:00.000Z`,
    );
  });

  it('offers the example queries of the view: URL, curl for JSON and CSV, and a sample answer', async () => {
    const url = (await page.textContent('#query-url'))!;
    expect(await page.textContent('#query-curl-json')).toBe(`curl --compressed '${url}'`);
    expect(await page.textContent('#query-curl-csv')).toBe(`curl --compressed '${url}&format=csv' -o SPY-1m.csv`);
    await page.click('details.preview summary');
    await page.waitForFunction(() => document.querySelector('[data-preview="json"]')!.textContent!.startsWith('{'));
    const sample = JSON.parse((await page.textContent('[data-preview="json"]'))!);
    expect(sample).toMatchObject({ symbol: 'SPY', timeframe: '1m', start: '2011-01-19T14:30:00.000Z', end: '2011-01-19T21:00:00.000Z' });
    expect(sample.bars).toHaveLength(3);
    expect(sample.bars[0].time).toBe(iso(fixtureBetween(Date.parse('2011-01-19T14:30:00Z'), Infinity)[0].t));
    expect(await page.textContent('[data-preview="csv"]')).toContain('X-Candle-Source: native\nX-Next-Cursor: ');
    expect(await page.textContent('[data-preview="csv"]')).toContain('time,open,high,low,close,volume,vwap,trades,isComplete');
  });

  it('draws the forming bar hollow and updates it by polling', async () => {
    // Not within 90 s of the hour's end: the bar must still be forming when the page draws it.
    const untilHour = HOUR_MS - (Date.now() % HOUR_MS);
    if (untilHour < 90_000) await sleep(untilHour + 1_000);
    const current = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const hours = Array.from({ length: 48 }, (_, i) => current - (47 - i) * HOUR_MS);
    await t.app.get(CandleRepository).upsertMany(hours.map((time, i) => btcHour(time, 40_000 + i)));
    await page.goto(`${base}/dashboard/?symbol=X:BTCUSD&timeframe=1h&range=5D&source=native`);
    await waitForReadyChart(page);
    expect(await chartData(page)).toMatchObject({ barCount: '48', formingTime: iso(current), lastClose: String(40_047) });
    expect(await page.textContent('#legend')).toContain('forming');
    expect(await page.textContent('#chart-status')).toContain('live');

    await t.app.get(CandleRepository).upsertMany([btcHour(current, 41_234.5)]);
    await waitForChart(page, 'lastClose', '41234.5', 30_000);
    expect(await chartData(page)).toMatchObject({ barCount: '48', formingTime: iso(current) });
  });
});

describe('the dashboard for a person: keyboard, labels, phone width, light and dark', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp('postgresql');
    await t.app.get(CandleRepository).upsertMany(spyMinuteCandles().slice(-3_000));
    await t.app.get(TrackedSymbolsService).track('SPY', ['1m', '1d']);
    ({ base, browser } = await startBrowser(t));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('labels every control, reaches the controls and the chart with Tab, shows where focus is, and switches tabs with arrows', async () => {
    const tab = await openTab(browser, `${base}/dashboard/?symbol=SPY&timeframe=1m`);
    const page = tab.page;
    try {
      await waitForReadyChart(page);
      const unnamed = await page.$$eval('input, select, button, [tabindex="0"]', (elements) =>
        elements
          .filter((element) => element.offsetParent !== null)
          .filter((element) => {
            const labels = element.labels;
            const named = (labels && labels.length > 0) || element.getAttribute('aria-label') || element.textContent!.trim();
            return !named;
          })
          .map((element) => element.outerHTML.slice(0, 100)),
      );
      expect(unnamed).toEqual([]);

      const reached = new Set<string>();
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const element = document.activeElement!;
          const style = getComputedStyle(element);
          return {
            id: element.id || element.dataset.range || element.dataset.indicator || element.tagName,
            outline: style.outlineStyle,
            width: style.outlineWidth,
          };
        });
        reached.add(focused.id);
        if (focused.id !== 'BODY') expect([focused.id, focused.outline, focused.width]).toEqual([focused.id, 'solid', '3px']);
      }
      for (const id of [
        'tab-chart',
        'symbol-select',
        'timeframe-select',
        '1D',
        'source-select',
        'session-select',
        'sma:20',
        'older-button',
        'chart',
      ]) {
        expect([id, reached.has(id)]).toEqual([id, true]);
      }

      await page.focus('#tab-chart');
      await page.keyboard.press('ArrowRight');
      expect(
        await page.evaluate(() => [document.activeElement!.id, location.hash, document.getElementById('view-symbols')!.hidden]),
      ).toEqual(['tab-symbols', '#symbols', false]);
      await page.keyboard.press('ArrowLeft');
      expect(await page.isVisible('#view-chart')).toBe(true);
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('fits a phone (390x844) in the dark, and follows the system when it switches to light', async () => {
    const tab = await openTab(browser, `${base}/dashboard/?symbol=SPY&timeframe=1m`, {
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
    });
    const page = tab.page;
    try {
      await waitForReadyChart(page);
      const layout = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        body: getComputedStyle(document.body).backgroundColor,
        chart: document.getElementById('chart')!.getBoundingClientRect(),
      }));
      expect(layout.overflow).toBeLessThanOrEqual(0);
      expect(layout.body).toBe('rgb(17, 20, 24)');
      expect(layout.chart.width).toBeLessThanOrEqual(390);
      expect(layout.chart.height).toBeGreaterThanOrEqual(300);
      expect(Number((await chartData(page)).barCount)).toBeGreaterThan(0);
      expect((await chartData(page)).background).toBe('#191d23');

      await page.emulateMedia({ colorScheme: 'light' });
      await waitForChart(page, 'background', '#ffffff');
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(246, 247, 249)');
      expect(tab.problems).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
