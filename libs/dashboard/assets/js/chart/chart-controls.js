/**
 * The chart's controls: symbol, timeframe (exactly ALLOWED_TIMEFRAMES), range presets and a
 * custom range in New York time, source, session, indicators and gap markers. They report what
 * the person changed; chart-view.js decides what to load.
 */
import { byId, h, replace } from '../dom.js';
import { fromLocalInputValue, toLocalInputValue } from '../ny-time.js';
import { CUSTOM_RANGE, RANGE_PRESETS } from '../timeframes.js';
import { INDICATOR_CHOICES, specOf } from './indicator-choices.js';

/**
 * @typedef {Partial<import('../view-state.js').ChartState> & { rangeError?: string }} ChartChange
 */

export class ChartControls {
  /**
   * @param {{ allowedTimeframes: string[] }} settings
   * @param {(change: ChartChange) => void} onChange
   */
  constructor(settings, onChange) {
    this.onChange = onChange;
    this.symbolSelect = /** @type {HTMLSelectElement} */ (byId('symbol-select'));
    this.timeframeSelect = /** @type {HTMLSelectElement} */ (byId('timeframe-select'));
    this.sourceSelect = /** @type {HTMLSelectElement} */ (byId('source-select'));
    this.sessionSelect = /** @type {HTMLSelectElement} */ (byId('session-select'));
    this.customRange = byId('custom-range');
    this.rangeStart = /** @type {HTMLInputElement} */ (byId('range-start'));
    this.rangeEnd = /** @type {HTMLInputElement} */ (byId('range-end'));

    replace(this.timeframeSelect, ...settings.allowedTimeframes.map((tf) => h('option', { value: tf, text: tf })));
    this.rangeButtons = [
      ...RANGE_PRESETS.map((preset) => ({ id: preset.id, title: preset.title })),
      { id: CUSTOM_RANGE, title: 'Choose start and end' },
    ].map(({ id, title }) =>
      h('button', {
        type: 'button',
        'data-range': id,
        title,
        'aria-pressed': 'false',
        text: id === CUSTOM_RANGE ? 'Custom' : id,
        onClick: () => this.pickRange(id),
      }),
    );
    replace(byId('range-buttons'), ...this.rangeButtons);

    this.indicatorBoxes = INDICATOR_CHOICES.map((choice) => {
      const box = h('input', {
        type: 'checkbox',
        value: specOf(choice),
        'data-indicator': specOf(choice),
        onChange: () => this.indicatorsChanged(),
      });
      const label = h(
        'label',
        { class: 'check', title: specOf(choice) },
        box,
        h('span', { class: `swatch swatch-${(choice.outputs[0].colorIndex % 5) + 1}` }),
        `${choice.label} ${choice.params.join(',')}`,
      );
      return { box: /** @type {HTMLInputElement} */ (box), label };
    });
    this.gapsBox = /** @type {HTMLInputElement} */ (
      h('input', { type: 'checkbox', checked: true, onChange: () => onChange({ gaps: this.gapsBox.checked }) })
    );
    replace(
      byId('indicator-checks'),
      ...this.indicatorBoxes.map((item) => item.label),
      h(
        'label',
        { class: 'check', title: 'Mark gaps from the gap report' },
        this.gapsBox,
        h('span', { class: 'swatch swatch-gap' }),
        'Gaps',
      ),
    );

    this.symbolSelect.addEventListener('change', () => onChange({ symbol: this.symbolSelect.value }));
    this.timeframeSelect.addEventListener('change', () => onChange({ timeframe: this.timeframeSelect.value }));
    this.sourceSelect.addEventListener('change', () => onChange({ source: this.sourceSelect.value }));
    this.sessionSelect.addEventListener('change', () => onChange({ session: this.sessionSelect.value }));
    byId('chart-controls').addEventListener('submit', (event) => {
      event.preventDefault();
      this.applyCustomRange();
    });
  }

  /** @param {{ symbol: string, active?: boolean }[]} symbols @param {string | undefined} selected */
  setSymbols(symbols, selected) {
    const names = symbols.map((s) => s.symbol);
    if (selected && !names.includes(selected)) names.push(selected);
    replace(
      this.symbolSelect,
      ...names.map((name) => h('option', { value: name, text: symbols.some((s) => s.symbol === name) ? name : `${name} (not tracked)` })),
    );
    this.symbolSelect.disabled = names.length === 0;
    if (selected) this.symbolSelect.value = selected;
  }

  /**
   * Shows `state` in the controls.
   * @param {import('../view-state.js').ChartState} state
   * @param {{ start: number, end: number } | undefined} window the range on screen, for the custom inputs
   */
  render(state, window) {
    if (state.symbol) this.symbolSelect.value = state.symbol;
    if (state.timeframe) this.timeframeSelect.value = state.timeframe;
    this.sourceSelect.value = state.source;
    this.sessionSelect.value = state.session;
    for (const button of this.rangeButtons) button.setAttribute('aria-pressed', String(button.dataset.range === state.range));
    this.customRange.hidden = state.range !== CUSTOM_RANGE;
    const shown = state.range === CUSTOM_RANGE && state.start !== undefined && state.end !== undefined ? state : window;
    if (shown?.start !== undefined && shown.end !== undefined) {
      this.rangeStart.value = toLocalInputValue(shown.start);
      this.rangeEnd.value = toLocalInputValue(shown.end);
    }
    for (const { box } of this.indicatorBoxes)
      box.checked = state.indicators.some((spec) => spec.split(':')[0] === box.value.split(':')[0]);
    this.gapsBox.checked = state.gaps;
  }

  pickRange(id) {
    if (id === CUSTOM_RANGE) {
      for (const button of this.rangeButtons) button.setAttribute('aria-pressed', String(button.dataset.range === CUSTOM_RANGE));
      this.customRange.hidden = false;
      this.rangeStart.focus();
      return;
    }
    this.onChange({ range: id });
  }

  applyCustomRange() {
    const start = fromLocalInputValue(this.rangeStart.value);
    const end = fromLocalInputValue(this.rangeEnd.value);
    if (Number.isNaN(start) || Number.isNaN(end)) {
      this.onChange({ rangeError: 'Enter both the start and the end of the range (New York time).' });
      return;
    }
    // start >= end goes to the API as asked: its 400 says what is wrong.
    this.onChange({ range: CUSTOM_RANGE, start, end });
  }

  indicatorsChanged() {
    this.onChange({ indicators: this.indicatorBoxes.filter((item) => item.box.checked).map((item) => item.box.value) });
  }
}
