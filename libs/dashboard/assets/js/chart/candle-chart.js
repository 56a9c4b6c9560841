/**
 * The chart itself (TradingView Lightweight Charts, served by the API from node_modules):
 * candles with volume beneath, forming bars hollow, gap markers, indicator overlays and panes,
 * the time axis in New York time. Knows nothing of the API; chart-view.js feeds it.
 */
import {
  CandlestickSeries,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  TickMarkType,
  createChart,
  createSeriesMarkers,
} from '../../vendor/lightweight-charts.mjs';
import { newYorkClock, newYorkParts, newYorkLabel, newYorkMonth, newYorkMonthDay, newYorkYear } from '../ny-time.js';
import { chartTheme, withAlpha } from './chart-theme.js';
import { choiceOf, panesFor } from './indicator-choices.js';

/** Axis labels in New York time; lightweight-charts picks the places, we name them. */
function tickMark(time, type) {
  const ms = Number(time) * 1000;
  switch (type) {
    case TickMarkType.Year:
      return newYorkYear(ms);
    case TickMarkType.Month:
      return newYorkParts(ms).day === 1 ? newYorkMonth(ms) : newYorkMonthDay(ms);
    case TickMarkType.DayOfMonth:
      // The New York date of the bar there (a UTC day starts at 19:00 or 20:00 New York the day before).
      return newYorkMonthDay(ms);
    default:
      return newYorkClock(ms);
  }
}

export class CandleChart {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    this.theme = chartTheme();
    /** @type {Record<'formingUpBody' | 'formingDownBody' | 'upVolume' | 'downVolume' | 'formingVolume', string>} */
    this.colors = { formingUpBody: '', formingDownBody: '', upVolume: '', downVolume: '', formingVolume: '' };
    this.chart = createChart(container, {
      autoSize: true,
      // The logo's stylesheet would need 'unsafe-inline' styles; the page carries TradingView's attribution and link instead.
      layout: { attributionLogo: false, fontFamily: getComputedStyle(document.body).fontFamily },
      crosshair: { mode: CrosshairMode.Normal },
      timeScale: { timeVisible: true, secondsVisible: false, tickMarkFormatter: tickMark, rightOffset: 3 },
      localization: { timeFormatter: (time) => newYorkLabel(Number(time) * 1000) },
      handleScale: { axisPressedMouseMove: true },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, { priceLineVisible: true });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.06, bottom: 0.24 } });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    this.volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.markers = createSeriesMarkers(this.candles, []);
    /** @type {import('../../vendor/lightweight-charts.mjs').ISeriesApi<any>[]} */
    this.indicatorSeries = [];
    /** @type {import('./candle-feed.js').Bar[]} */
    this.bars = [];
    this.applyTheme(this.theme);
  }

  applyTheme(theme) {
    this.theme = theme;
    // Worked out once per theme: every redraw colours thousands of bars with them.
    this.colors = {
      formingUpBody: withAlpha(theme.up, 0.18),
      formingDownBody: withAlpha(theme.down, 0.18),
      upVolume: withAlpha(theme.up, 0.42),
      downVolume: withAlpha(theme.down, 0.42),
      formingVolume: withAlpha(theme.forming, 0.42),
    };
    this.container.dataset.background = theme.background;
    this.chart.applyOptions({
      layout: { background: { color: theme.background }, textColor: theme.text, panes: { separatorColor: theme.border } },
      grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
      rightPriceScale: { borderColor: theme.border },
      timeScale: { borderColor: theme.border },
    });
    this.candles.applyOptions({
      upColor: theme.up,
      downColor: theme.down,
      borderUpColor: theme.up,
      borderDownColor: theme.down,
      wickUpColor: theme.up,
      wickDownColor: theme.down,
    });
    if (this.bars.length) this.setBars(this.bars);
  }

  /** @param {import('./candle-feed.js').Bar} bar */
  candleOf(bar) {
    const datum = { time: bar.time, open: bar.open, high: bar.high, low: bar.low, close: bar.close };
    if (bar.isComplete) return datum;
    // Still forming: hollow, in the forming colour, so nobody reads it as a settled bar.
    const rising = bar.close >= bar.open;
    return {
      ...datum,
      color: rising ? this.colors.formingUpBody : this.colors.formingDownBody,
      borderColor: this.theme.forming,
      wickColor: this.theme.forming,
    };
  }

  volumeOf(bar) {
    const { upVolume, downVolume, formingVolume } = this.colors;
    return { time: bar.time, value: bar.volume, color: bar.isComplete ? (bar.close >= bar.open ? upVolume : downVolume) : formingVolume };
  }

  /** Replaces every bar (ascending). */
  setBars(bars) {
    this.bars = bars;
    this.candles.setData(bars.map((bar) => this.candleOf(bar)));
    this.volume.setData(bars.map((bar) => this.volumeOf(bar)));
  }

  /** Shows the logical range (bar indices of the drawn bars) given. */
  setVisibleRange(range) {
    this.chart.timeScale().setVisibleLogicalRange(range);
  }

  /** The newest bar changed or new ones arrived (polling): update in place. */
  updateBars(bars, changed) {
    this.bars = bars;
    for (const bar of changed) {
      this.candles.update(this.candleOf(bar));
      this.volume.update(this.volumeOf(bar));
    }
  }

  /** @param {{ time: import('../../vendor/lightweight-charts.mjs').UTCTimestamp, text: string, fetched: boolean }[]} gaps */
  setGaps(gaps) {
    this.markers.setMarkers(
      gaps.map((gap) => ({
        time: gap.time,
        position: 'aboveBar',
        shape: 'arrowDown',
        size: 0.6,
        color: gap.fetched ? this.theme.gapFetched : this.theme.gap,
        text: gap.text,
      })),
    );
  }

  /**
   * Draws the indicators: `specs` in request order, `rows` one per bar time with the API's values in that order.
   * @param {string[]} specs
   * @param {{ time: number, values: unknown[] }[]} rows
   */
  setIndicators(specs, rows) {
    for (const series of this.indicatorSeries) this.chart.removeSeries(series);
    this.indicatorSeries = [];
    // The price pane is the first; each pane below it holds one kind of indicator.
    const panes = panesFor(specs);
    const paneIndex = (pane) => (pane === 'price' ? 0 : 1 + panes.indexOf(pane));
    specs.forEach((spec, column) => {
      const choice = choiceOf(spec);
      if (!choice) return;
      for (const output of choice.outputs) {
        const color = this.theme.indicators[output.colorIndex];
        const pane = paneIndex(choice.pane);
        const valueAt = (row) => {
          const value = row.values[column];
          const picked = output.key === null ? value : value?.[output.key];
          return typeof picked === 'number' ? picked : undefined;
        };
        if (output.kind === 'histogram') {
          const series = this.chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false, title: '' }, pane);
          series.setData(
            rows.map((row) => this.pointOf(row.time, valueAt(row), (v) => withAlpha(v >= 0 ? this.theme.up : this.theme.down, 0.55))),
          );
          this.indicatorSeries.push(series);
          continue;
        }
        const series = this.chart.addSeries(
          LineSeries,
          {
            color,
            lineWidth: output.key === 'middle' ? 1 : 2,
            lineStyle: output.key === 'upper' || output.key === 'lower' ? LineStyle.Dashed : LineStyle.Solid,
            priceLineVisible: false,
            lastValueVisible: choice.pane !== 'price',
            crosshairMarkerVisible: false,
            title: choice.pane === 'price' ? '' : output.label,
          },
          pane,
        );
        series.setData(rows.map((row) => this.pointOf(row.time, valueAt(row))));
        if (choice.id === 'rsi') {
          for (const level of [30, 70])
            series.createPriceLine({
              price: level,
              color: this.theme.muted,
              lineStyle: LineStyle.Dotted,
              lineWidth: 1,
              axisLabelVisible: true,
              title: '',
            });
        }
        this.indicatorSeries.push(series);
      }
    });
    const allPanes = this.chart.panes();
    allPanes.forEach((pane, index) => pane.setStretchFactor(index === 0 ? 3 : 1));
    this.container.classList.toggle('with-panes', allPanes.length > 1);
  }

  /** A point, or whitespace where the indicator has no value yet (keeps series aligned with the bars). */
  pointOf(time, value, colorOf) {
    if (value === undefined) return { time };
    return colorOf ? { time, value, color: colorOf(value) } : { time, value };
  }

  get paneCount() {
    return this.chart.panes().length;
  }

  /** @param {(range: { from: number, to: number } | null) => void} listener */
  onVisibleRangeChange(listener) {
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(listener);
  }

  /** @param {(time: number | undefined) => void} listener bar time under the crosshair (seconds), or undefined */
  onCrosshair(listener) {
    this.chart.subscribeCrosshairMove((param) => listener(param.time === undefined ? undefined : Number(param.time)));
  }

  /** Shows every bar (the first view). */
  fit() {
    this.chart.timeScale().fitContent();
  }

  /** Moves the view by `bars` (negative: towards older bars). */
  scrollBy(bars) {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    if (range) this.chart.timeScale().setVisibleLogicalRange({ from: range.from + bars, to: range.to + bars });
  }

  /** Zooms around the centre: factor < 1 shows fewer bars. */
  zoom(factor) {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    if (!range) return;
    const centre = (range.from + range.to) / 2;
    const half = Math.max(5, ((range.to - range.from) / 2) * factor);
    this.chart.timeScale().setVisibleLogicalRange({ from: centre - half, to: centre + half });
  }

  /** Brings the oldest loaded bar into view (which asks for older ones). */
  scrollToOldest() {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    const width = range ? range.to - range.from : 100;
    this.chart.timeScale().setVisibleLogicalRange({ from: -2, to: width - 2 });
  }

  scrollToNewest() {
    this.chart.timeScale().scrollToRealTime();
  }

  /** Visible bars right now (for the status line). */
  visibleRange() {
    return this.chart.timeScale().getVisibleLogicalRange();
  }
}
