import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { type Candle, Timeframe, type TimeRange } from '@app/core';
import { type BarPage, type BarRequest, type MarketDataProvider, ProviderBadPayloadError, ProviderNotConfiguredError } from '@app/provider';
import { validatePage } from './bar.validator';
import { detectCut } from './cut-response.detector';
import { POLYGON_CLIENT_OPTIONS, type PolygonClientOptions } from './polygon-client.options';
import { PolygonHttpTransport } from './polygon-http.transport';
import { PolygonRequestExecutor, RequestLabel } from './polygon-request.executor';
import { PolygonMetrics } from './polygon.metrics';
import { RequestRateLimiter } from './request-rate.limiter';
import { planRequestWindows } from './request-window.planner';

/**
 * Re-ask from the last bar of an answer that looked cut? At the limit: whenever that moves
 * forward (a single bar over the limit cannot be split, and fails). Ending early: always
 * the first time; for a window that is itself a re-ask, only if it brought bars beyond its
 * start, so a market that really went quiet costs one extra request, not a loop.
 */
function shouldReask(cause: 'at-limit' | 'ends-early', lastBarTime: number, window: PendingWindow): boolean {
  const movesForward = lastBarTime > window.start;
  return cause === 'at-limit' ? movesForward : !window.resumed || movesForward;
}

/** Polygon tickers: AAPL, BRK.A, X:BTCUSD, C:EURUSD, I:SPX, O:SPY251219C00650000. */
const TICKER = /^[A-Za-z0-9][A-Za-z0-9.:_-]{0,39}$/;

interface PendingWindow extends TimeRange {
  /** Set when this window re-asks the tail of an answer that looked cut. */
  resumed: boolean;
}

interface PageOutcome {
  page: BarPage;
  /** Path and query of the next page (from next_url). */
  nextPath?: string;
  /** The rest of the window, to ask again. */
  resume?: PendingWindow;
}

/**
 * Polygon.io (Massive.com) aggregates over REST: plans request windows under the base
 * aggregate limit, follows next_url on our own host with our own auth, checks that the
 * final answer of each window is not cut short (re-asking from its last bar if it is),
 * and validates each page whole before handing it out. Rate limit and retries live in
 * PolygonRequestExecutor; the key never leaves PolygonHttpTransport.
 */
@Injectable()
export class PolygonClient implements MarketDataProvider, OnModuleDestroy {
  readonly name = 'polygon';
  private readonly logger = new Logger(PolygonClient.name);
  private readonly limiter?: RequestRateLimiter;
  private readonly transport?: PolygonHttpTransport;
  private readonly executor?: PolygonRequestExecutor;

  constructor(
    @Inject(POLYGON_CLIENT_OPTIONS) private readonly options: PolygonClientOptions,
    private readonly metrics: PolygonMetrics,
  ) {
    const { apiKey } = options;
    if (!apiKey) return;
    this.limiter = new RequestRateLimiter({
      perMinute: options.rateLimitPerMinute,
      safetyFactor: options.rateSafetyFactor,
      slowdownFactor: options.slowdownFactor,
      maxSlowdown: options.maxSlowdown,
      redisUrl: options.redisUrl,
      id: options.limiterId,
      onError: (message) => this.logger.error(message.split(apiKey).join('***')),
    });
    metrics.setSpacing(this.limiter.spacingMs);
    metrics.setBudget(options.rateLimitPerMinute);
    this.transport = new PolygonHttpTransport({ baseUrl: options.baseUrl, apiKey, timeoutMs: options.timeoutMs });
    this.executor = new PolygonRequestExecutor(this.transport, this.limiter, metrics, options, this.logger, apiKey);
  }

  get isConfigured(): boolean {
    return this.executor !== undefined;
  }

  /** True when the rate limit is shared with other processes through Redis. */
  get isRateLimitShared(): boolean {
    return this.limiter?.isShared ?? false;
  }

  async *fetchBars(request: BarRequest): AsyncGenerator<BarPage> {
    if (!this.executor) throw new ProviderNotConfiguredError('set POLYGON_API_KEY to turn ingestion on');
    if (!TICKER.test(request.symbol)) throw new RangeError(`"${request.symbol}" is not a Polygon ticker`);
    if (!Number.isFinite(request.from) || !Number.isFinite(request.to)) throw new RangeError('from and to must be Unix milliseconds');
    const timeframe = Timeframe.parse(request.timeframe);
    const queue: PendingWindow[] = this.planWindows(request.symbol, timeframe, request.from, request.to).map((w) => ({
      ...w,
      resumed: false,
    }));
    for (let window = queue.shift(); window; window = queue.shift()) {
      const resume = yield* this.fetchWindow(this.executor, request.symbol, timeframe, window);
      if (resume) queue.unshift(resume);
    }
  }

  /** Windows of at most `windowFill` x `pageLimit` base aggregates, counted from the market calendar. */
  planWindows(symbol: string, timeframe: Timeframe, start: number, end: number): TimeRange[] {
    const budget = Math.max(1, Math.floor(this.options.pageLimit * this.options.windowFill));
    return planRequestWindows(symbol, timeframe, start, end, budget);
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    await this.limiter?.close();
    this.transport?.close();
  }

  /** Yields the pages of one window; returns the window to re-ask when the last answer looked cut. */
  private async *fetchWindow(
    executor: PolygonRequestExecutor,
    symbol: string,
    timeframe: Timeframe,
    window: PendingWindow,
  ): AsyncGenerator<BarPage, PendingWindow | undefined> {
    let path: string | undefined = this.firstPath(symbol, timeframe, window);
    while (path) {
      const outcome = await this.requestPage(executor, path, symbol, timeframe, window);
      yield outcome.page;
      if (outcome.resume) return outcome.resume;
      path = outcome.nextPath;
    }
    return undefined;
  }

  /**
   * One answer, validated, and what follows it: the next page, the rest of a window that
   * looked cut, or nothing. Not a generator, so the raw answer is garbage before the page is written.
   */
  private async requestPage(
    executor: PolygonRequestExecutor,
    path: string,
    symbol: string,
    timeframe: Timeframe,
    window: PendingWindow,
  ): Promise<PageOutcome> {
    const label: RequestLabel = { symbol, timeframe: timeframe.value };
    const { response, attempts } = await executor.getAggregates(path, label);
    const bars = this.validate(response.results, symbol, timeframe, response.requestId).filter(
      (bar) => bar.time >= window.start && bar.time < window.end,
    );
    if (response.nextUrl) {
      return {
        page: this.page(bars, response.requestId, attempts, timeframe),
        nextPath: this.followPath(response.nextUrl, label, response.requestId),
      };
    }
    const lastBarTime = bars.length ? bars[bars.length - 1].time : undefined;
    const verdict = detectCut({
      symbol,
      timeframe,
      window,
      lastBarTime,
      queryCount: response.queryCount,
      resultsCount: response.resultsCount,
      pageLimit: this.options.pageLimit,
      horizon: this.options.now() - this.options.publicationDelayMs,
    });
    if (verdict.cut && lastBarTime !== undefined && shouldReask(verdict.cause, lastBarTime, window)) {
      this.metrics.recordCutResponse();
      this.logger.warn(
        `${symbol} ${timeframe.value}: answer ${response.requestId} looks cut (${verdict.reason}); ` +
          `keeping ${bars.length - 1} bar(s), re-asking from ${new Date(lastBarTime).toISOString()}`,
      );
      // The last bar may be built from part of its minutes: it is asked again with the rest.
      return {
        page: this.page(bars.slice(0, -1), response.requestId, attempts, timeframe),
        resume: { start: lastBarTime, end: window.end, resumed: true },
      };
    }
    if (verdict.cut && verdict.cause === 'at-limit') {
      throw this.reject(
        new ProviderBadPayloadError(symbol, timeframe.value, response.requestId, [
          `the answer was cut at the limit of ${this.options.pageLimit} base aggregates and a single ${timeframe.value} bar cannot be split further`,
        ]),
      );
    }
    return { page: this.page(bars, response.requestId, attempts, timeframe) };
  }

  private validate(results: Parameters<typeof validatePage>[0], symbol: string, timeframe: Timeframe, requestId: string): Candle[] {
    try {
      return validatePage(results, { symbol, timeframe, requestId });
    } catch (error) {
      if (error instanceof ProviderBadPayloadError) throw this.reject(error);
      throw error;
    }
  }

  private reject(error: ProviderBadPayloadError): ProviderBadPayloadError {
    this.metrics.recordRejectedPage();
    this.metrics.recordFailure(error.kind);
    this.logger.error(error.message);
    return error;
  }

  private page(bars: Candle[], requestId: string, requests: number, timeframe: Timeframe): BarPage {
    this.metrics.recordPage(timeframe.value, bars.length);
    return { bars, requestId, requests };
  }

  /** `to` is inclusive for the provider and snaps up to the end of its bar: end - 1 keeps the bar at `end` out. */
  private firstPath(symbol: string, timeframe: Timeframe, window: TimeRange): string {
    const { multiplier, timespan } = timeframe.polygon;
    const query = new URLSearchParams({ adjusted: String(this.options.adjusted), sort: 'asc', limit: String(this.options.pageLimit) });
    return `/v2/aggs/ticker/${symbol}/range/${multiplier}/${timespan}/${window.start}/${window.end - 1}?${query.toString()}`;
  }

  /**
   * next_url names the provider's public host and carries no key: keep only its path and
   * query (so a proxy or the fake server in POLYGON_BASE_URL keeps answering), drop any
   * key parameter, and let the transport add our auth.
   */
  private followPath(nextUrl: string, label: RequestLabel, requestId: string): string {
    let url: URL;
    try {
      url = new URL(nextUrl, 'http://next-url.invalid');
    } catch {
      throw this.reject(new ProviderBadPayloadError(label.symbol, label.timeframe, requestId, ['next_url is not a URL']));
    }
    const apiStart = url.pathname.indexOf('/v2/aggs/');
    if (apiStart < 0) {
      throw this.reject(new ProviderBadPayloadError(label.symbol, label.timeframe, requestId, ['next_url leaves the aggregates API']));
    }
    for (const name of [...url.searchParams.keys()]) if (name.toLowerCase() === 'apikey') url.searchParams.delete(name);
    return url.pathname.slice(apiStart) + url.search;
  }
}
