/** The line above the chart: OHLCV (and indicator values) of the bar under the crosshair, else of the newest bar. */
import { h, replace } from '../dom.js';
import { compact, price } from '../format.js';
import { newYorkLabel } from '../ny-time.js';

export class Legend {
  /** @param {HTMLElement} element */
  constructor(element) {
    this.element = element;
  }

  /**
   * @param {string} title e.g. "SPY · 1m"
   * @param {import('./candle-feed.js').Bar | undefined} bar
   * @param {{ label: string, value: number, colorIndex: number }[]} indicators
   */
  show(title, bar, indicators = []) {
    if (bar === undefined) {
      replace(this.element, h('span', { class: 'legend-title', text: title }));
      this.element.dataset.time = '';
      return;
    }
    const change = bar.open === 0 ? 0 : ((bar.close - bar.open) / bar.open) * 100;
    const direction = bar.close >= bar.open ? 'up' : 'down';
    const value = (label, text) => h('span', {}, h('span', { class: 'muted', text: `${label} ` }), h('span', { class: direction, text }));
    replace(
      this.element,
      h('span', { class: 'legend-title', text: title }),
      h('span', { text: `${newYorkLabel(bar.ms)} NY` }),
      value('O', price(bar.open)),
      value('H', price(bar.high)),
      value('L', price(bar.low)),
      value('C', price(bar.close)),
      h('span', { class: direction, text: `${change >= 0 ? '+' : ''}${change.toFixed(2)}%` }),
      h('span', {}, h('span', { class: 'muted', text: 'V ' }), compact(bar.volume)),
      bar.isComplete ? null : h('span', { class: 'forming', text: 'forming' }),
      ...indicators.map((item) =>
        h(
          'span',
          {},
          h('span', { class: `swatch swatch-${item.colorIndex + 1}` }),
          h('span', { class: 'muted', text: ` ${item.label} ` }),
          price(item.value),
        ),
      ),
    );
    this.element.dataset.time = new Date(bar.ms).toISOString();
  }
}
