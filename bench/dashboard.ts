/**
 * The dashboard in Chromium, against the API on an embedded PostgreSQL holding one year of SPY
 * 1m bars (241,920):
 *   npm run bench -- bench/dashboard.ts [--runs 7]
 * 1. first chart: navigation to the first chart drawn (the page's `dashboard:first-chart` mark,
 *    Performance API), a day of 1m (960 bars), fresh tab each run (nothing cached in the browser).
 *    Reference in the same run: the candle page's own Resource Timing (request to last byte).
 * 2. bytes: what the first view transfers (encoded, as on the wire), static files and API answers.
 * 3. year: from the newest 10,000 bars back to the first bar of the year with the Home key (which
 *    scrolls to the oldest bar and so asks for older ones), page by page: the longest main-thread
 *    task (Long Tasks API), tasks over 50 ms, and the JS heap after a forced GC (CDP).
 * The API runs in its own process (bench/api-bench-server.ts), so the browser driver does not share its event
 * loop, with enrichment off (its catch-up over the seeded year would compete with the page's requests).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chartData, launchChromium, waitForReadyChart } from '../apps/api/test/support/browser';
import { EmbeddedPostgresEngine } from '@app/database';
import type { BenchCommand, BenchReply } from './api-bench-server';

const SYMBOL = 'SPY';
const YEAR = 2023;
/** Wednesday 2023-06-07: the generator stamps every session 09:00-01:00 UTC, 960 bars. */
const DAY = 'start=2023-06-07T09:00:00.000Z&end=2023-06-08T01:00:00.000Z';

// In-page code runs in Chromium; its globals for the type check (no DOM library in the Node build).
declare const document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null };
declare const window: { __longTasks: number[] };
declare const PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => {
  observe(options: { type: string; buffered: boolean }): void;
};

interface PageTiming {
  name: string;
  startTime: number;
  responseEnd: number;
  domContentLoadedEventEnd: number;
  transferSize: number;
}

interface Api {
  port: number;
  ask(command: BenchCommand): Promise<BenchReply>;
  stop(): Promise<void>;
}

function startApi(settings: Record<string, string>): Promise<Api> {
  const child: ChildProcess = fork(join(__dirname, 'api-bench-server.ts'), [JSON.stringify(settings)], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (reply: BenchReply) => {
      if (reply.kind !== 'listening') return reject(new Error(reply.kind === 'error' ? reply.message : reply.kind));
      resolve({
        port: reply.port,
        ask: (command) =>
          new Promise((answer) => {
            child.once('message', answer);
            child.send(command);
          }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.disconnect();
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
/** How long the chart may take to settle: Playwright's default, as before (a page of the year is slow on a loaded machine). */
const SETTLE_MS = 30_000;

/**
 * One fresh tab to the first chart of a day of 1m: the mark, the candle request and, when
 * `countBytes`, the bytes on the wire (asking Chromium for each request's sizes costs time, so
 * the timed runs do not).
 */
async function firstChart(browser: Browser, base: string, countBytes: boolean) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const transfers: { url: string; bytes: number; body: number }[] = [];
  page.on('requestfinished', (request) => {
    if (!countBytes) return;
    void request
      .sizes()
      .then((sizes) =>
        transfers.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize, body: sizes.responseBodySize }),
      );
  });
  await page.goto(`${base}/dashboard/?symbol=${SYMBOL}&timeframe=1m&${DAY}`);
  await page.waitForFunction(() => performance.getEntriesByName('dashboard:first-chart').length > 0);
  const timing = await page.evaluate(() => {
    const [navigation] = (performance.getEntriesByType as (type: string) => unknown[])('navigation') as PageTiming[];
    const candles = ((performance.getEntriesByType as (type: string) => unknown[])('resource') as PageTiming[]).filter((entry) =>
      entry.name.includes('/candles?'),
    );
    return {
      firstChartMs: performance.getEntriesByName('dashboard:first-chart')[0].startTime,
      domContentLoadedMs: navigation.domContentLoadedEventEnd,
      candlesMs: candles.length ? candles[0].responseEnd - candles[0].startTime : NaN,
      bars: Number(document.getElementById('chart')!.dataset.barCount),
    };
  });
  await waitForReadyChart(page, SETTLE_MS);
  await page.waitForTimeout(500);
  await context.close();
  const staticBytes = transfers.filter((t) => t.url.includes('/dashboard/')).reduce((sum, t) => sum + t.bytes, 0);
  const apiBytes = transfers.filter((t) => !t.url.includes('/dashboard/')).reduce((sum, t) => sum + t.bytes, 0);
  return { ...timing, staticBytes, apiBytes, requests: transfers.length };
}

/** Back through the year with Home, page by page, watching long tasks and the heap. */
async function scrollYear(browser: Browser, base: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? NaN;
  };
  await page.goto(`${base}/dashboard/?symbol=${SYMBOL}&timeframe=1m&range=1Y&gaps=off`);
  await waitForReadyChart(page, SETTLE_MS);
  const firstBars = Number((await chartData(page)).barCount ?? 0);
  const heapFirst = await heap();
  await page.evaluate(() => (window.__longTasks = []));
  const started = performance.now();
  let pages = 0;
  for (; pages < 200; pages++) {
    const state = await chartData(page);
    if (state.older === 'none') break;
    await page.focus('#chart');
    await page.keyboard.press('Home');
    await page.waitForFunction(
      (before) =>
        document.getElementById('chart')!.dataset.firstTime !== before || document.getElementById('chart')!.dataset.older === 'none',
      state.firstTime,
    );
    await waitForReadyChart(page, SETTLE_MS);
  }
  const elapsedMs = performance.now() - started;
  const tasks = await page.evaluate(() => window.__longTasks);
  const final = await chartData(page);
  const heapYear = await heap();
  await context.close();
  return {
    firstBars,
    bars: Number(final.loadedCount),
    drawn: Number(final.barCount),
    firstTime: final.firstTime,
    pages,
    elapsedMs,
    longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
    tasksOver50: tasks.length,
    tasksOver100: tasks.filter((d) => d > 100).length,
    heapFirstMb: heapFirst / 2 ** 20,
    heapYearMb: heapYear / 2 ** 20,
  };
}

async function main(): Promise<void> {
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
  console.log(
    `${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'market-data-dashboard-bench-'));
  const engine = new EmbeddedPostgresEngine({ dataDir, unsafeFastWrites: true });
  let api: Api | undefined;
  let browser: Browser | undefined;
  try {
    const databaseUrl = await EmbeddedPostgresEngine.ensureDatabase(await engine.start(), 'bench_dashboard');
    // Enrichment off: its catch-up over the seeded year would keep the API's event loop busy while the page loads.
    api = await startApi({ DATABASE_URL: databaseUrl, BACKFILL_ENABLED: 'false', ENRICHMENT_ENABLED: 'false' });
    const seeded = await api.ask({ kind: 'seed', symbol: SYMBOL, year: YEAR });
    if (seeded.kind !== 'seeded') throw new Error('seeding failed');
    const base = `http://127.0.0.1:${api.port}`;
    const tracked = await fetch(`${base}/api/v1/symbols`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ symbol: SYMBOL, timeframes: ['1m', '1d'] }),
    });
    if (!tracked.ok) throw new Error(`tracking ${SYMBOL}: ${tracked.status}`);
    console.log(`seeded ${seeded.bars} 1m bars of ${SYMBOL} (${YEAR}) in ${Math.round(seeded.ms)} ms`);
    browser = await launchChromium();

    const first = [];
    for (let run = 0; run < runs; run++) first.push(await firstChart(browser, base, false));
    const [cold, ...warm] = first;
    const bytes = await firstChart(browser, base, true);
    console.log(`\n1. navigation to first chart drawn, a day of 1m (${cold.bars} bars), fresh tab each run:`);
    console.log(
      `   first run (API cache cold): ${cold.firstChartMs.toFixed(0)} ms (DOMContentLoaded ${cold.domContentLoadedMs.toFixed(0)} ms, candles request ${cold.candlesMs.toFixed(0)} ms)`,
    );
    const firstMedian = median(warm.map((r) => r.firstChartMs));
    const candlesMedian = median(warm.map((r) => r.candlesMs));
    console.log(
      `   median of ${warm.length} more: ${firstMedian.toFixed(0)} ms (DOMContentLoaded ${median(warm.map((r) => r.domContentLoadedMs)).toFixed(0)} ms, ` +
        `candles request ${candlesMedian.toFixed(0)} ms); first chart / candles request = ${(firstMedian / candlesMedian).toFixed(1)}x; target < 1000 ms`,
    );
    console.log(`\n2. bytes on the wire for the first view (encoded, headers included), ${bytes.requests} requests:`);
    console.log(
      `   static (page, scripts, styles, chart library) ${kb(bytes.staticBytes)} + API answers ${kb(bytes.apiBytes)} = ${kb(bytes.staticBytes + bytes.apiBytes)}; target < 300 KB`,
    );

    const year = await scrollYear(browser, base);
    console.log(`\n3. scrolling back through a year of 1m (Home on the chart, page by page, gap markers off):`);
    console.log(
      `   ${year.firstBars} bars at first, ${year.bars} loaded after ${year.pages} pages (first bar ${year.firstTime}, ${year.drawn} drawn at once) in ${(year.elapsedMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `   longest main-thread task ${year.longestTaskMs.toFixed(0)} ms (target < 100 ms); ${year.tasksOver50} tasks over 50 ms, ${year.tasksOver100} over 100 ms`,
    );
    console.log(
      `   JS heap after GC: ${year.heapFirstMb.toFixed(1)} MB with the first page, ${year.heapYearMb.toFixed(1)} MB with the year`,
    );
  } finally {
    await browser?.close();
    await api?.stop();
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
