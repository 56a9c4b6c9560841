/**
 * The screenshots in docs/images/ (shown in the README), taken in Chromium from the real app:
 *   npm run bench -- bench/dashboard-screenshots.ts [--out docs/images]
 * The API runs on a fresh embedded PostgreSQL against the fake Polygon (generated bars, real SPY
 * minutes of January 2011), tracks SPY, AAPL and X:BTCUSD, backfills them, and has one symbol
 * whose provider answers 404 (so an alert fires for the operations view).
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../apps/api/test/support/browser';
import { BackfillJobQueue, BackfillScheduler } from '@app/backfill';
import { DatabaseService } from '@app/database';
import { CandleRepository, TrackedSymbolsService } from '@app/market-data';
import { FakePolygonServer, spyMinuteCandles } from '@app/polygon/testing';
import { AppModule } from '../apps/api/src/app.module';
import { setupApp } from '../apps/api/src/setup-app';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// In-page code runs in Chromium; its globals for the type check (no DOM library in the Node build).
declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined>; getAttribute(name: string): string | null } | null;
};

interface Shot {
  file: string;
  path: string;
  viewport: { width: number; height: number };
  colorScheme: 'light' | 'dark';
  /** Waits until what the picture shows is there. */
  ready: (page: Page) => Promise<void>;
}

async function chartSettled(page: Page, indicators = ''): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const chart = document.getElementById('chart')!;
      const busy = document.getElementById('chart-frame')!.getAttribute('aria-busy');
      return chart.dataset.state === 'ready' && busy === 'false' && (chart.dataset.indicators ?? '') === expected;
    },
    indicators,
    { timeout: 30_000 },
  );
}

async function hoverChart(page: Page, share: number): Promise<void> {
  const box = (await page.locator('#chart').boundingBox())!;
  await page.mouse.move(box.x + box.width * share, box.y + box.height * 0.35);
}

const SHOTS: Shot[] = [
  {
    file: 'dashboard-chart.png',
    path: 'dashboard/?symbol=SPY&timeframe=1m&range=1D&indicators=sma:20,bbands:20:2',
    viewport: DESKTOP,
    colorScheme: 'light',
    ready: async (page) => {
      await chartSettled(page, 'sma:20,bbands:20:2');
      await hoverChart(page, 0.62);
    },
  },
  {
    file: 'dashboard-chart-dark.png',
    path: 'dashboard/?symbol=AAPL&timeframe=1h&range=1M&indicators=ema:50,rsi:14,macd:12:26:9',
    viewport: DESKTOP,
    colorScheme: 'dark',
    ready: async (page) => {
      await chartSettled(page, 'ema:50,rsi:14,macd:12:26:9');
      await hoverChart(page, 0.7);
    },
  },
  {
    file: 'dashboard-symbols.png',
    path: 'dashboard/#symbols',
    viewport: DESKTOP,
    colorScheme: 'light',
    ready: async (page) => {
      await page.waitForSelector('.symbol-card[data-symbol="ZZZZ"] [data-job-state="failed"]', { timeout: 30_000 });
    },
  },
  {
    file: 'dashboard-operations.png',
    path: 'dashboard/#operations',
    viewport: DESKTOP,
    colorScheme: 'light',
    ready: async (page) => {
      await page.waitForSelector('#ops-alerts [data-alert="BackfillFailed"]', { timeout: 30_000 });
      await page.waitForSelector('#ops-latency table', { timeout: 30_000 });
    },
  },
  {
    file: 'dashboard-phone.png',
    path: 'dashboard/?symbol=X:BTCUSD&timeframe=1m&range=1D',
    viewport: PHONE,
    colorScheme: 'dark',
    ready: (page) => chartSettled(page),
  },
];

async function main(): Promise<void> {
  const outAt = process.argv.indexOf('--out');
  const out = resolve(outAt === -1 ? 'docs/images' : process.argv[outAt + 1]);
  mkdirSync(out, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'market-data-dashboard-shots-'));
  const fake = await FakePolygonServer.start();
  const env = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PORT: '0',
    POLYGON_BASE_URL: fake.url,
    POLYGON_API_KEY: fake.apiKey,
    POLYGON_RATE_LIMIT_PER_MINUTE: '6000',
    BACKFILL_WINDOWS: '1m:5d,5m:10d,1h:60d,1d:1y',
    ALERT_EVALUATION_INTERVAL: '1s',
    ENRICHMENT_ENABLED: 'false',
  };
  const app = await NestFactory.create(AppModule.register({ env }), { bufferLogs: true });
  setupApp(app);
  await app.listen(0, '127.0.0.1');
  let browser: Browser | undefined;
  try {
    await app.get(DatabaseService).whenReady();
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/`;
    await app.get(CandleRepository).upsertMany(spyMinuteCandles());
    const symbols = app.get(TrackedSymbolsService, { strict: false });
    await symbols.track('SPY', ['1m', '1d']);
    await symbols.track('AAPL', ['1m', '1h', '1d']);
    await symbols.track('X:BTCUSD', ['1m', '1h']);
    const settle = async (): Promise<void> => {
      // A long job gives its slot up now and then and goes on at the next tick: tick until none is left to run.
      for (let pass = 0; pass < 100; pass++) {
        await app.get(BackfillScheduler).tick();
        await app.get(BackfillJobQueue).whenIdle();
        const { jobs } = (await (await fetch(`${base}api/v1/backfill/jobs`)).json()) as { jobs: { state: string }[] };
        if (jobs.every((job) => job.state === 'done' || job.state === 'failed')) return;
      }
    };
    await settle();
    fake.faults.enqueue('not-found');
    await symbols.track('ZZZZ', ['1m']);
    await settle();
    // A few candle reads per timeframe, so the operations view has latency to show.
    for (const timeframe of ['1m', '1h', '1d']) await fetch(`${base}api/v1/asset/AAPL/candles?timeframe=${timeframe}`);
    await new Promise((done) => setTimeout(done, 11_000)); // latency slots are shared every 10 s

    browser = await launchChromium();
    for (const shot of SHOTS) {
      const context = await browser.newContext({ viewport: shot.viewport, colorScheme: shot.colorScheme });
      const page = await context.newPage();
      await page.goto(`${base}${shot.path}`);
      await shot.ready(page);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(out, shot.file) });
      console.log(`${join(out, shot.file)}`);
      await context.close();
    }
  } finally {
    await browser?.close();
    await app.close();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
