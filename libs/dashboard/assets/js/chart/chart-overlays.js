/**
 * What the chart draws over the bars, read for the span of bars loaded: gap markers (the gap
 * report) and indicator values (the indicators route, the same query as the candles). Kept per
 * bar time, drawn for the bars on the chart.
 */
import { assetPath, getJson, isAbort, messageOf } from '../api.js';
import { iso } from '../ny-time.js';
import { fetchGaps, gapMarkers } from './gap-markers.js';
import { choiceOf } from './indicator-choices.js';

export class ChartOverlays {
  /**
   * @param {import('./candle-chart.js').CandleChart} chart
   * @param {HTMLElement} element the chart element (data-gap-count, data-indicators, data-panes)
   * @param {(message: string) => void} report where a failure is said
   */
  constructor(chart, element, report) {
    this.chart = chart;
    this.element = element;
    this.report = report;
    /** @type {{ start: number, end: number, bars: number, fetched: boolean }[]} */
    this.gaps = [];
    /** @type {Map<number, unknown[]>} values per bar time, in the order of `specs` */
    this.rows = new Map();
    /** @type {string[]} */
    this.specs = [];
  }

  /** Forget everything (a new view); `specs` are the indicators to draw from now on. */
  clear(specs) {
    this.gaps = [];
    this.setSpecs(specs);
    this.chart.setGaps([]);
    this.chart.setIndicators([], []);
    this.element.dataset.gapCount = '0';
    this.element.dataset.indicators = '';
    this.element.dataset.panes = String(this.chart.paneCount);
  }

  /** Other indicators from now on: the values read for the old ones are forgotten, the gaps kept. */
  setSpecs(specs) {
    this.rows = new Map();
    this.specs = specs;
  }

  /**
   * Gaps in [from, to), added to those known.
   * @param {import('./candle-feed.js').CandleFeed} feed the series (and its abort signal)
   * @param {() => boolean} current false once the view changed (the answer is then dropped)
   */
  async loadGaps(feed, from, to, current) {
    try {
      const gaps = await fetchGaps(feed.query, from, to, feed.options.signal);
      if (!current()) return false;
      this.gaps.push(...gaps);
      return true;
    } catch (error) {
      if (!isAbort(error) && current()) this.report(`Gaps not shown: ${messageOf(error)}`);
      return false;
    }
  }

  /**
   * Indicator values of the bars in [from, to), every page of them.
   * @param {import('./candle-feed.js').CandleFeed} feed
   * @param {() => boolean} current
   */
  async loadIndicators(feed, from, to, current) {
    const specs = this.specs;
    if (specs.length === 0) return false;
    try {
      let cursor;
      do {
        const page = await getJson(
          assetPath(feed.query.symbol, 'indicators'),
          { ...feed.baseParams, indicators: specs.join(','), start: iso(from), end: iso(to), sort: 'asc', cursor },
          { signal: feed.options.signal },
        );
        if (!current() || specs !== this.specs) return false;
        for (const bar of page.bars)
          this.rows.set(
            Date.parse(bar.time) / 1000,
            page.indicators.map((spec) => bar.values[spec]),
          );
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return true;
    } catch (error) {
      if (!isAbort(error) && current()) this.report(`Indicators not shown: ${messageOf(error)}`);
      return false;
    }
  }

  /** Draws gaps (when `showGaps`) and indicators for the bars on the chart. */
  draw(drawn, showGaps) {
    const markers = showGaps ? gapMarkers(this.gaps, drawn) : [];
    this.chart.setGaps(markers);
    this.element.dataset.gapCount = String(markers.length);
    if (this.specs.length === 0 || this.rows.size === 0) this.chart.setIndicators([], []);
    else
      this.chart.setIndicators(
        this.specs,
        drawn.map((bar) => ({ time: bar.time, values: this.rows.get(bar.time) ?? [] })),
      );
    this.element.dataset.panes = String(this.chart.paneCount);
    this.element.dataset.indicators = this.rows.size ? this.specs.join(',') : '';
  }

  /** The legend's indicator items at bar `time`. */
  legendItems(time) {
    const values = time === undefined ? [] : (this.rows.get(time) ?? []);
    const items = [];
    this.specs.forEach((spec, column) => {
      for (const output of choiceOf(spec)?.outputs ?? []) {
        const raw = values[column];
        const value = output.key === null ? raw : raw?.[output.key];
        if (typeof value === 'number') items.push({ label: output.label, value, colorIndex: output.colorIndex });
      }
    });
    return items;
  }
}
