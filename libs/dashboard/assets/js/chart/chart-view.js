/**
 * The chart tab: turns the controls' state into API reads, keeps the loaded bars, draws a slice
 * of them, pages older history in as the person scrolls left, and polls the newest bars while
 * the view reaches the present. What it drew is on the chart element's data-* attributes (bar
 * count, first/last/forming bar, gaps, panes) for tests and benchmarks.
 */
import { isAbort, messageOf } from '../api.js';
import { byId, h, replace, showError } from '../dom.js';
import { count } from '../format.js';
import { floorToMinute, iso, newYorkDateTime } from '../ny-time.js';
import { Poller } from '../poller.js';
import { CUSTOM_RANGE, LIVE_POLL_MS, RANGE_PRESETS, defaultPreset, presetStart, timeframeMs } from '../timeframes.js';
import { writeChartState } from '../view-state.js';
import { CandleChart } from './candle-chart.js';
import { CandleFeed } from './candle-feed.js';
import { ChartControls } from './chart-controls.js';
import { ChartOverlays } from './chart-overlays.js';
import { onThemeChange } from './chart-theme.js';
import { Legend } from './legend.js';
import { LoadedBars, SLIDE_MARGIN } from './loaded-bars.js';

/** Within this many bars of an edge of the drawn bars, the drawn slice slides, or older bars are asked for. */
const EDGE_BARS = 15;

export class ChartView {
  /**
   * @param {{ allowedTimeframes: string[], pageSize: number }} settings
   * @param {import('../view-state.js').ChartState} state from the address
   * @param {{ onQueryChange: (query: object | undefined) => void, emptyHelp: (kind: 'no-symbols' | 'no-bars') => Node[] }} hooks
   */
  constructor(settings, state, hooks) {
    this.settings = settings;
    this.state = state;
    this.hooks = hooks;
    /** The person chose the range (or the address did); otherwise it follows the timeframe. */
    this.rangeChosen = state.range !== undefined;
    this.element = byId('chart');
    this.frame = byId('chart-frame');
    this.status = byId('chart-status');
    this.errorBox = byId('chart-error');
    this.empty = byId('chart-empty');
    this.loading = byId('chart-loading');
    this.olderButton = /** @type {HTMLButtonElement} */ (byId('older-button'));
    this.chart = new CandleChart(this.element);
    this.legend = new Legend(byId('legend'));
    this.overlays = new ChartOverlays(this.chart, this.element, (message) => showError(this.errorBox, message));
    this.controls = new ChartControls(settings, (change) => this.change(change));
    this.loaded = new LoadedBars();
    /** @type {CandleFeed | undefined} */
    this.feed = undefined;
    /** @type {AbortController | undefined} */
    this.abort = undefined;
    this.generation = 0;
    this.pending = 0;
    this.loadingOlder = false;
    this.sliding = false;
    this.anchored = false;
    this.drawnOnce = false;
    /** @type {{ symbol: string, timeframes: string[] }[]} */
    this.symbols = [];
    /** @type {number | undefined} bar time under the crosshair */
    this.crosshairTime = undefined;
    this.poller = new Poller(() => this.poll(), LIVE_POLL_MS);

    /** Older bars load when the person scrolls to the left edge, not when a first fit happens to touch it. */
    this.scrolledByPerson = false;
    for (const event of ['pointerdown', 'wheel', 'touchstart', 'keydown']) {
      this.element.addEventListener(event, () => (this.scrolledByPerson = true), { passive: true });
    }
    this.chart.onVisibleRangeChange((range) => this.onScroll(range));
    this.chart.onCrosshair((time) => {
      this.crosshairTime = time;
      this.showLegend();
    });
    onThemeChange((theme) => this.chart.applyTheme(theme));
    this.olderButton.addEventListener('click', () => void this.loadOlder());
    byId('latest-button').addEventListener('click', () => this.goToNewest());
    this.element.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** @param {{ symbol: string, timeframes: string[] }[]} symbols */
  setSymbols(symbols) {
    this.symbols = symbols;
    if (!this.state.symbol && symbols.length) this.state.symbol = symbols[0].symbol;
    this.controls.setSymbols(symbols, this.state.symbol);
  }

  /** First load, once the symbols are known. */
  start() {
    const allowed = this.settings.allowedTimeframes;
    if (!this.state.timeframe || !allowed.includes(this.state.timeframe)) {
      const tracked = this.symbols.find((s) => s.symbol === this.state.symbol)?.timeframes ?? [];
      this.state.timeframe = tracked.find((tf) => allowed.includes(tf)) ?? allowed[0];
    }
    if (!this.state.range) this.state.range = defaultPreset(this.state.timeframe);
    return this.reload();
  }

  show() {
    if (this.isLive()) this.poller.start();
  }

  hide() {
    this.poller.stop();
  }

  /** @param {import('./chart-controls.js').ChartChange} change */
  change(change) {
    if (change.rangeError) {
      showError(this.errorBox, change.rangeError);
      return;
    }
    this.state = { ...this.state, ...change };
    if (change.range !== undefined) this.rangeChosen = true;
    if (change.timeframe !== undefined && !this.rangeChosen) this.state.range = defaultPreset(change.timeframe);
    if (change.indicators !== undefined) return this.refreshOverlays({ indicators: true });
    if (change.gaps !== undefined) return this.refreshOverlays({ gaps: true });
    void this.reload();
  }

  /** The window a preset or custom range asks for; presets end now and may move to the newest stored bar. */
  windowOf(state) {
    if (state.range === CUSTOM_RANGE && state.start !== undefined && state.end !== undefined) {
      return { start: state.start, end: state.end, reanchor: false };
    }
    // Up to the end of the current minute, so the bar forming now is in range.
    const end = floorToMinute(Date.now()) + 60_000;
    const preset = RANGE_PRESETS.some((p) => p.id === state.range) ? state.range : defaultPreset(state.timeframe);
    return { start: presetStart(preset, end), end, reanchor: true };
  }

  async reload() {
    const generation = ++this.generation;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.poller.stop();
    this.feed = undefined;
    this.anchored = false;
    this.scrolledByPerson = false;
    this.loaded = new LoadedBars();
    this.overlays.clear(this.state.indicators);
    showError(this.errorBox, undefined);
    writeChartState(this.state);
    this.controls.render(this.state, undefined);
    if (!this.state.symbol) {
      this.chart.setBars([]);
      this.showEmpty('No symbols are tracked yet', this.hooks.emptyHelp('no-symbols'));
      this.setState('empty');
      this.hooks.onQueryChange(undefined);
      return;
    }
    const timeframe = this.state.timeframe ?? this.settings.allowedTimeframes[0];
    const query = { symbol: this.state.symbol, timeframe, source: this.state.source, session: this.state.session };
    const window = this.windowOf(this.state);
    const feed = new CandleFeed(query, window, { pageSize: this.settings.pageSize, reanchor: window.reanchor, signal: abort.signal });
    this.feed = feed;
    this.setState('loading');
    this.busy(+1);
    this.status.textContent = `Loading ${query.symbol} ${query.timeframe}…`;
    try {
      const { bars, anchored } = await feed.first();
      if (generation !== this.generation) return;
      this.anchored = anchored;
      this.loaded.reset(bars);
      this.chart.setBars(this.loaded.drawn);
      this.chart.fit();
      this.controls.render(this.state, feed.window);
      this.hooks.onQueryChange({ ...query, ...feed.window, indicators: this.state.indicators });
      if (this.loaded.length === 0) {
        const what = window.reanchor ? 'stored yet' : 'in this range';
        this.showEmpty(`No ${query.symbol} ${query.timeframe} bars ${what}`, this.noBarsHelp(window.reanchor));
        this.setState('empty');
      } else {
        this.empty.hidden = true;
        this.setState('ready');
        this.markDrawn();
        void this.loadOverlays(this.loaded.first.ms, feed.window.end, generation);
      }
      this.describe();
      if (this.isLive()) this.poller.start();
    } catch (error) {
      if (isAbort(error) || generation !== this.generation) return;
      this.fail(error);
    } finally {
      this.busy(-1);
    }
  }

  /** Near an edge of the drawn bars: slide over loaded ones, or ask for older ones at the oldest. */
  onScroll(range) {
    if (!range || this.sliding) return;
    const loaded = this.loaded;
    if (range.from < EDGE_BARS) {
      if (loaded.from > 0) this.slide(loaded.from + range.from - SLIDE_MARGIN);
      else if (this.scrolledByPerson) void this.loadOlder();
    } else if (range.to > loaded.drawnCount - EDGE_BARS && !loaded.atNewest) {
      this.slide(loaded.from + range.to + SLIDE_MARGIN - loaded.drawnCount);
    }
  }

  /** Draws the loaded bars from index `from` on, the view staying on the same bars. */
  slide(from) {
    const range = this.chart.visibleRange();
    const { shift, moved } = this.loaded.slideTo(from);
    if (!moved) return;
    const drawn = this.loaded.drawn;
    this.sliding = true;
    try {
      this.chart.setBars(drawn);
      if (range) this.chart.setVisibleRange({ from: range.from + shift, to: range.to + shift });
    } finally {
      this.sliding = false;
    }
    this.drawOverlays(drawn);
    this.describe();
  }

  /** Home: the oldest loaded bar into view, which asks for older ones. */
  goToOldest() {
    this.slide(0);
    this.chart.scrollToOldest();
  }

  /** End: the newest bars. */
  goToNewest() {
    this.slide(this.loaded.length);
    this.chart.scrollToNewest();
  }

  /** Older bars, when the person scrolls left (or presses Home, or the button). */
  async loadOlder() {
    const feed = this.feed;
    const state = this.element.dataset.state;
    if (!feed || feed.exhausted || this.loadingOlder || state === 'loading' || state === 'error') return;
    const generation = this.generation;
    this.loadingOlder = true;
    this.busy(+1);
    try {
      const previousOldest = this.loaded.first?.ms ?? feed.window.end;
      const older = await feed.older();
      if (generation !== this.generation) return;
      if (this.loaded.length === 0 && older.length) {
        this.loaded.reset(older);
        this.chart.setBars(this.loaded.drawn);
        this.chart.fit();
        this.empty.hidden = true;
        this.setState('ready');
        void this.loadOverlays(this.loaded.first.ms, previousOldest, generation);
      } else {
        const fresh = this.loaded.prepend(older);
        if (fresh.length) {
          // The new bars are to the left of the view: draw up to SLIDE_MARGIN of them, the view staying put.
          this.slide(this.loaded.from + (this.chart.visibleRange()?.from ?? 0) - SLIDE_MARGIN);
          void this.loadOverlays(fresh[0].ms, previousOldest, generation);
        }
      }
      this.describe();
    } catch (error) {
      if (isAbort(error) || generation !== this.generation) return;
      showError(this.errorBox, `Older bars could not be loaded: ${messageOf(error)}`);
    } finally {
      this.loadingOlder = false;
      this.busy(-1);
    }
    // Still at the left edge (a short page): keep going.
    const range = this.chart.visibleRange();
    const atEdge = this.loaded.from === 0 && range !== null && range.from < EDGE_BARS;
    if (generation === this.generation && this.scrolledByPerson && !feed.exhausted && atEdge) void this.loadOlder();
  }

  /** The newest bars again: the forming one changes, new ones start. */
  async poll() {
    const feed = this.feed;
    if (!feed || !this.isLive()) return;
    const generation = this.generation;
    const last = this.loaded.last;
    const from = last ? last.ms : feed.window.end - timeframeMs(feed.query.timeframe);
    const bars = await feed.since(from);
    if (generation !== this.generation) return;
    const changed = this.loaded.merge(bars);
    if (changed.length === 0) return;
    if (this.element.dataset.state !== 'ready') {
      this.chart.setBars(this.loaded.drawn);
      this.chart.fit();
      this.empty.hidden = true;
      this.setState('ready');
    } else if (this.loaded.atNewest) this.chart.updateBars(this.loaded.drawn, changed);
    this.describe();
    if (this.state.indicators.length) {
      const current = () => generation === this.generation;
      const to = Date.now() + timeframeMs(feed.query.timeframe);
      if (await this.overlays.loadIndicators(feed, changed[0].ms, to, current)) this.drawOverlays();
    }
  }

  /** Gaps and indicators of [from, to), after the bars are on screen. */
  async loadOverlays(from, to, generation) {
    const feed = this.feed;
    if (!feed) return;
    const current = () => generation === this.generation;
    const loads = [];
    if (this.state.gaps) loads.push(this.overlays.loadGaps(feed, from, to, current));
    if (this.state.indicators.length) loads.push(this.overlays.loadIndicators(feed, from, to, current));
    const done = await Promise.all(loads);
    if (current() && done.some(Boolean)) this.drawOverlays();
  }

  /** Indicators or gap markers switched: read them again for every loaded bar. */
  refreshOverlays({ indicators = false, gaps = false }) {
    writeChartState(this.state);
    const feed = this.feed;
    if (indicators) {
      this.overlays.setSpecs(this.state.indicators);
      if (feed) this.hooks.onQueryChange({ ...feed.query, ...feed.window, indicators: this.state.indicators });
    }
    if (gaps) this.overlays.gaps = [];
    this.drawOverlays();
    if (!feed || this.loaded.length === 0) return;
    const generation = this.generation;
    const current = () => generation === this.generation;
    const from = this.loaded.first.ms;
    const load = indicators
      ? this.overlays.loadIndicators(feed, from, feed.window.end, current)
      : this.state.gaps
        ? this.overlays.loadGaps(feed, from, feed.window.end, current)
        : Promise.resolve(false);
    void load.then((done) => done && current() && this.drawOverlays());
  }

  drawOverlays(drawn = this.loaded.drawn) {
    this.overlays.draw(drawn, this.state.gaps);
    this.showLegend();
  }

  /** True while the view reaches the present: then the newest bars are polled. */
  isLive() {
    const feed = this.feed;
    return feed !== undefined && feed.window.end >= Date.now() - timeframeMs(feed.query.timeframe);
  }

  /** The legend: the bar under the crosshair, else the newest. */
  showLegend() {
    const feed = this.feed;
    const title = feed ? `${feed.query.symbol} · ${feed.query.timeframe}` : '';
    const time = this.crosshairTime;
    const bar = (time === undefined ? undefined : this.loaded.byTime.get(time)) ?? this.loaded.last;
    this.legend.show(title, bar, this.overlays.legendItems(bar?.time));
  }

  /** The status line, the chart's accessible name and its data-* attributes. */
  describe() {
    const feed = this.feed;
    const { first, last, drawnFirst, drawnCount } = this.loaded;
    const data = this.element.dataset;
    data.symbol = feed?.query.symbol ?? '';
    data.timeframe = feed?.query.timeframe ?? '';
    // Drawn: the bars the chart holds now; loaded: every bar read for this view (the drawn ones slide over them).
    data.barCount = String(drawnCount);
    data.loadedCount = String(this.loaded.length);
    data.drawnFirst = drawnFirst ? iso(drawnFirst.ms) : '';
    data.firstTime = first ? iso(first.ms) : '';
    data.lastTime = last ? iso(last.ms) : '';
    data.lastClose = last ? String(last.close) : '';
    data.formingTime = last && !last.isComplete ? iso(last.ms) : '';
    data.older = feed?.exhausted ? 'none' : 'more';
    data.windowStart = feed ? iso(feed.window.start) : '';
    data.windowEnd = feed ? iso(feed.window.end) : '';
    this.olderButton.disabled = !feed || feed.exhausted;
    this.showLegend();
    if (!feed) return;
    const { symbol, timeframe } = feed.query;
    const span = first && last ? `${newYorkDateTime(first.ms)} → ${newYorkDateTime(last.ms)} New York` : 'no bars';
    const parts = [`${symbol} · ${timeframe} · ${count(this.loaded.length)} bars · ${span}`];
    if (this.anchored) parts.push('nothing in the chosen range, so the newest stored bars are shown');
    if (feed.exhausted && this.loaded.length) parts.push('oldest stored bar reached');
    if (this.isLive()) parts.push('live');
    this.status.textContent = parts.join(' · ');
    this.element.setAttribute('aria-label', `${symbol} ${timeframe} candlestick chart: ${count(this.loaded.length)} bars, ${span}`);
  }

  setState(state) {
    this.element.dataset.state = state;
    this.frame.dataset.state = state;
  }

  busy(delta) {
    this.pending += delta;
    const busy = this.pending > 0;
    this.loading.hidden = !busy;
    this.frame.setAttribute('aria-busy', String(busy));
  }

  /** The first chart with bars: the figure "navigation to first chart drawn" measures to this mark. */
  markDrawn() {
    if (this.drawnOnce) return;
    this.drawnOnce = true;
    requestAnimationFrame(() => {
      performance.mark('dashboard:first-chart');
      this.element.dataset.drawn = 'true';
    });
  }

  fail(error) {
    const message = messageOf(error);
    this.chart.setBars([]);
    showError(this.errorBox, message);
    this.showEmpty('The API refused this view', [
      h('p', { text: message }),
      h('p', { class: 'hint', text: 'Change the settings above and try again.' }),
    ]);
    this.setState('error');
    this.status.textContent = '';
    this.describe();
  }

  showEmpty(title, body) {
    replace(this.empty, h('h3', { text: title }), ...body);
    this.empty.hidden = false;
  }

  noBarsHelp(preset) {
    return preset ? this.hooks.emptyHelp('no-bars') : [h('p', { text: 'Load older bars, or pick another range.' })];
  }

  onKey(event) {
    const actions = {
      ArrowLeft: () => this.chart.scrollBy(-10),
      ArrowRight: () => this.chart.scrollBy(10),
      '+': () => this.chart.zoom(0.8),
      '=': () => this.chart.zoom(0.8),
      '-': () => this.chart.zoom(1.25),
      Home: () => this.goToOldest(),
      End: () => this.goToNewest(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }
}
