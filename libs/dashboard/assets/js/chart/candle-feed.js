/**
 * A symbol's bars, newest first, one API page at a time: the chosen window first, then (as the
 * person scrolls left) the rest of it by cursor, then the spans before it, skipping stretches
 * with no bars at all, until the store has nothing older. Nothing is cut: every page the API
 * says exists (nextCursor) is read before the span before it.
 */
import { assetPath, getJson } from '../api.js';
import { iso } from '../ny-time.js';
import { timeframeMs } from '../timeframes.js';

const EPOCH = '1970-01-01T00:00:00.000Z';
/** The first view reads on by cursor until it holds this many bars (a day of 1m fits), when the server's pages are small. */
const FIRST_VIEW_BARS = 2_000;
/** Older history comes in pages of at most this many bars: each page's parse and redraw stays a short task. */
const OLDER_PAGE_BARS = 5_000;

/**
 * @typedef {object} Bar
 * @property {import('../../vendor/lightweight-charts.mjs').UTCTimestamp} time Unix seconds (the chart's time)
 * @property {number} ms Unix ms, as the API stamps the bar (start of its window)
 * @property {number} open
 * @property {number} high
 * @property {number} low
 * @property {number} close
 * @property {number} volume
 * @property {number | null} vwap
 * @property {number | null} trades
 * @property {boolean} isComplete
 */

/** @returns {Bar} */
function barOf(api) {
  const ms = Date.parse(api.time);
  return {
    time: /** @type {import('../../vendor/lightweight-charts.mjs').UTCTimestamp} */ (ms / 1000),
    ms,
    open: api.open,
    high: api.high,
    low: api.low,
    close: api.close,
    volume: api.volume,
    vwap: api.vwap,
    trades: api.trades,
    isComplete: api.isComplete,
  };
}

/**
 * @typedef {object} FeedQuery
 * @property {string} symbol
 * @property {string} timeframe
 * @property {string} source
 * @property {string} session
 */

export class CandleFeed {
  /**
   * @param {FeedQuery} query
   * @param {{ start: number, end: number }} window
   * @param {{ pageSize: number, reanchor: boolean, signal: AbortSignal }} options
   *   reanchor: when the window holds no bar, move it to end at the newest stored bar (presets do; a custom range does not)
   */
  constructor(query, window, options) {
    this.query = query;
    this.window = { ...window };
    this.options = options;
    this.barMs = timeframeMs(query.timeframe);
    this.olderPageBars = Math.min(options.pageSize, OLDER_PAGE_BARS);
    /** Going back, each span can fill a page: fewer requests than the window's own (small) span. */
    this.stepMs = Math.max(window.end - window.start, this.olderPageBars * this.barMs);
    /** @type {{ start: number, end: number, cursor: string | undefined, done: boolean }} */
    this.segment = { start: window.start, end: window.end, cursor: undefined, done: false };
    this.exhausted = false;
  }

  /** The query parameters every page shares. */
  get baseParams() {
    const { timeframe, source, session } = this.query;
    return { timeframe, source: source === 'auto' ? undefined : source, session: session === 'extended' ? undefined : session };
  }

  /** The window's newest bars; `anchored` when the window was empty and moved to the newest stored bars. */
  async first() {
    const bars = await this.fill();
    if (bars.length > 0 || !this.options.reanchor) return { bars, anchored: false };
    const newest = await this.newestBefore(this.window.end);
    if (newest === undefined) {
      this.exhausted = true;
      return { bars, anchored: false };
    }
    const span = this.window.end - this.window.start;
    const end = newest.ms + this.barMs;
    this.window = { start: end - span, end };
    this.segment = { start: end - span, end, cursor: undefined, done: false };
    return { bars: await this.fill(), anchored: true };
  }

  /** Pages of the current segment, newest first, until it is read or the first view is full. */
  async fill() {
    let bars = await this.read();
    while (!this.segment.done && bars.length < FIRST_VIEW_BARS) bars = [...(await this.read()), ...bars];
    return bars;
  }

  /** The next older bars (ascending), or [] once the store holds nothing older. */
  async older() {
    while (!this.exhausted) {
      if (this.segment.done) this.stepBack();
      const firstOfSpan = this.segment.cursor === undefined;
      const bars = await this.read(this.olderPageBars);
      if (bars.length > 0) return bars;
      if (firstOfSpan) await this.skipEmptyHistory();
    }
    return [];
  }

  stepBack() {
    const end = this.segment.start;
    this.segment = { start: end - this.stepMs, end, cursor: undefined, done: false };
  }

  /** A whole span was empty: continue at the newest bar before it, if there is one. */
  async skipEmptyHistory() {
    const before = this.segment.start;
    const newest = await this.newestBefore(before);
    if (newest === undefined) {
      this.exhausted = true;
      return;
    }
    const end = Math.min(newest.ms + this.barMs, before);
    this.segment = { start: end - this.stepMs, end, cursor: undefined, done: false };
  }

  /**
   * One page of the current segment, newest first on the wire, returned ascending.
   * @param {number} [limit] bars per page; the server's CANDLES_PAGE_SIZE when left out
   */
  async read(limit) {
    const segment = this.segment;
    const page = await this.page({ start: iso(segment.start), end: iso(segment.end), sort: 'desc', cursor: segment.cursor, limit });
    segment.cursor = page.nextCursor ?? undefined;
    segment.done = !page.nextCursor;
    return page.bars.map(barOf).reverse();
  }

  /** The bars from `from` on, ascending (polling: the forming bar changes, new ones start). */
  async since(from) {
    const page = await this.page({ start: iso(from), sort: 'asc' });
    return page.bars.map(barOf);
  }

  /** The newest stored bar starting before `end`, or undefined. */
  async newestBefore(end) {
    const page = await this.page({ start: EPOCH, end: iso(end), sort: 'desc', limit: 1 });
    return page.bars.length ? barOf(page.bars[0]) : undefined;
  }

  /** One page of the series' candles: the shared parameters and `params`. */
  page(params) {
    return getJson(assetPath(this.query.symbol, 'candles'), { ...this.baseParams, ...params }, { signal: this.options.signal });
  }
}
