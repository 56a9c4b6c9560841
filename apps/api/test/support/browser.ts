import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import type { TestApp } from '@app/testing';
import type { PageDocument } from './browser-page';

// In-page code runs in Chromium; this is its global for the type check.
declare const document: PageDocument;

/** Debian's chromium (.ci/run installs it); playwright-core drives it, nothing is downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The test app is only initialised: listen on a free loopback port and answer its base URL. */
async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface DashboardTab {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught errors and CSP refusals seen so far: a test ends with none. */
  problems: string[];
  /** Every URL the page asked for. */
  requests: string[];
  close(): Promise<void>;
}

export interface TabOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/**
 * What a dashboard test file starts with: the test app on a free loopback port (`base`, e.g.
 * http://127.0.0.1:43121) and Chromium to look at it. Closing the browser closes its tabs too.
 */
export async function startBrowser(t: TestApp): Promise<{ base: string; browser: Browser }> {
  const base = await listen(t);
  return { base, browser: await launchChromium() };
}

/** The same and one tab at `path` (e.g. `/dashboard/`), shared by the file's tests. */
export async function openDashboard(t: TestApp, path: string): Promise<{ base: string; browser: Browser; tab: DashboardTab }> {
  const { base, browser } = await startBrowser(t);
  try {
    return { base, browser, tab: await openTab(browser, `${base}${path}`) };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** A fresh tab (its own storage) at `url`, watched for errors. */
export async function openTab(browser: Browser, url: string, options: TabOptions = {}): Promise<DashboardTab> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    // A 4xx is an answer the page shows as a message (tests look for it); anything else logged as an error is a problem.
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  return { page, context, problems, requests, close: () => context.close() };
}

/** The chart element's data-* attributes: what the dashboard says it drew. */
export async function chartData(page: Page): Promise<Record<string, string | undefined>> {
  return page.$eval('#chart', (element) => ({ ...element.dataset }));
}

/** Waits until the chart's data attribute `name` satisfies `expected` (a value, or a pattern). */
export async function waitForChart(page: Page, name: string, expected: string | RegExp, timeout = 20_000): Promise<void> {
  const pattern = typeof expected === 'string' ? `^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : expected.source;
  await page.waitForFunction(
    ([attribute, source]) => new RegExp(source).test(document.getElementById('chart')!.dataset[attribute] ?? ''),
    [name, pattern] as const,
    { timeout },
  );
}

/** Waits for the chart to settle after a change: ready, not loading. */
export async function waitForReadyChart(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const chart = document.getElementById('chart')!;
      const frame = document.getElementById('chart-frame')!;
      return chart.dataset.state === 'ready' && frame.getAttribute('aria-busy') === 'false';
    },
    undefined,
    { timeout },
  );
}

/** Drags the chart to the right by `pixels` (towards older bars), as a person does with the mouse. */
export async function dragChartRight(page: Page, pixels: number): Promise<void> {
  const box = await page.locator('#chart').boundingBox();
  if (!box) throw new Error('the chart is not on screen');
  const y = box.y + box.height * 0.4;
  const startX = box.x + box.width * 0.15;
  await page.mouse.move(startX, y);
  await page.mouse.down();
  await page.mouse.move(startX + pixels, y, { steps: 12 });
  await page.mouse.up();
}
