/**
 * The symbols tab: every tracked symbol with its timeframes, indicators and backfill state per
 * timeframe; track a symbol (DEFAULT_TIMEFRAMES pre-checked), change its timeframes, pause or
 * resume it, start a backfill, stop tracking it. Writes go through api.js, which asks for the
 * API key when the server wants one.
 */
import { getJson, messageOf, send } from '../api.js';
import { byId, h, replace, showError } from '../dom.js';
import { Poller } from '../poller.js';
import { confirmAction } from './confirm.js';
import { jobTable } from './job-table.js';
import { timeframeCheckboxes } from './timeframe-checkboxes.js';

const REFRESH_MS = 3_000;
const symbolPath = (symbol) => `api/v1/symbol/${encodeURIComponent(symbol)}`;

export class SymbolsView {
  /**
   * @param {{ allowedTimeframes: string[], defaultTimeframes: string[] }} settings
   * @param {{ onSymbolsChange: (symbols: any[]) => void, openChart: (symbol: string) => void }} hooks
   */
  constructor(settings, hooks) {
    this.settings = settings;
    this.hooks = hooks;
    this.list = byId('symbols-list');
    this.errorBox = byId('symbols-error');
    this.schedulerStatus = byId('scheduler-status');
    this.statusLine = byId('symbols-status');
    /** @type {any[]} */
    this.symbols = [];
    /** @type {any[]} */
    this.jobs = [];
    /** @type {Map<string, { card: HTMLElement, signature: string, editing: boolean, error: HTMLElement }>} */
    this.cards = new Map();
    this.poller = new Poller(() => this.refresh(), REFRESH_MS);
    this.setUpAddForm();
  }

  setUpAddForm() {
    const { allowedTimeframes, defaultTimeframes } = this.settings;
    this.addTimeframes = timeframeCheckboxes('add-timeframe', allowedTimeframes, defaultTimeframes);
    replace(byId('add-symbol-timeframes'), this.addTimeframes.element);
    byId('add-symbol-hint').textContent =
      `Pre-checked: DEFAULT_TIMEFRAMES (${defaultTimeframes.join(', ')}), what a symbol tracked without a list gets. ` +
      `Allowed: ${allowedTimeframes.join(', ')}.`;
    const form = /** @type {HTMLFormElement} */ (byId('add-symbol-form'));
    const input = /** @type {HTMLInputElement} */ (byId('add-symbol-input'));
    const error = byId('add-symbol-error');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const symbol = input.value.trim();
      if (symbol === '') {
        showError(error, 'Enter a symbol, e.g. AAPL or X:BTCUSD.');
        input.focus();
        return;
      }
      showError(error, undefined);
      const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
      button.disabled = true;
      try {
        const tracked = await send('POST', 'api/v1/symbols', { symbol, timeframes: this.addTimeframes?.selected() ?? [] });
        input.value = '';
        this.announce(`Tracking ${tracked.symbol} in ${tracked.timeframes.join(', ')}; its backfill starts now.`);
        await this.refresh();
      } catch (failure) {
        showError(error, messageOf(failure));
        input.focus();
      } finally {
        button.disabled = false;
      }
    });
  }

  show() {
    this.poller.start();
    void this.poller.now();
  }

  hide() {
    this.poller.stop();
  }

  /** Symbols and jobs from the API, then the cards that changed. */
  async refresh() {
    try {
      const [symbols, jobs] = await Promise.all([getJson('api/v1/symbols'), getJson('api/v1/backfill/jobs')]);
      showError(this.errorBox, undefined);
      const changed =
        JSON.stringify(symbols.symbols.map((s) => [s.symbol, s.timeframes, s.active])) !==
        JSON.stringify(this.symbols.map((s) => [s.symbol, s.timeframes, s.active]));
      this.symbols = symbols.symbols;
      this.jobs = jobs.jobs;
      this.renderScheduler(jobs.scheduler);
      this.render();
      if (changed) this.hooks.onSymbolsChange(this.symbols);
    } catch (error) {
      showError(this.errorBox, `Symbols could not be loaded: ${messageOf(error)}`);
    } finally {
      this.list.setAttribute('aria-busy', 'false');
    }
  }

  renderScheduler(scheduler) {
    const notes = [];
    if (!scheduler.ingestionEnabled)
      notes.push(`Ingestion is off${scheduler.reason ? `: ${scheduler.reason}` : ''}. Stored bars are still served.`);
    else if (!scheduler.enabled)
      notes.push('The backfill scheduler is off on this instance (BACKFILL_ENABLED=false); another instance may run it.');
    if (scheduler.halted) notes.push(`Backfill is halted since ${scheduler.halted.since}: ${scheduler.halted.reason}`);
    if (scheduler.paused) notes.push('Backfill is paused.');
    this.schedulerStatus.textContent = notes.join(' ');
  }

  render() {
    if (this.symbols.length === 0) {
      this.cards.clear();
      replace(
        this.list,
        h(
          'div',
          { class: 'card empty-symbols' },
          h('h3', { text: 'No symbols are tracked yet' }),
          h('p', { text: 'Track one with the form above; its history is backfilled in each of its timeframes and kept fresh.' }),
        ),
      );
      return;
    }
    const seen = new Set();
    const ordered = [];
    for (const symbol of this.symbols) {
      seen.add(symbol.symbol);
      const jobs = this.jobs.filter((job) => job.symbol === symbol.symbol);
      const signature = JSON.stringify([symbol, jobs.map(({ nextRunAt: _n, ...rest }) => rest)]);
      let entry = this.cards.get(symbol.symbol);
      if (!entry) {
        entry = {
          card: h('article', { class: 'symbol-card', 'data-symbol': symbol.symbol }),
          signature: '',
          editing: false,
          error: h('div', { class: 'message error', role: 'alert', hidden: true }),
        };
        this.cards.set(symbol.symbol, entry);
      }
      // Rebuilt only when something changed, so a focused button keeps its focus between refreshes.
      if (entry.signature !== signature && !entry.editing) {
        entry.signature = signature;
        this.fillCard(entry, symbol, jobs);
      }
      ordered.push(entry.card);
    }
    for (const name of [...this.cards.keys()]) if (!seen.has(name)) this.cards.delete(name);
    if (ordered.some((card, index) => this.list.children[index] !== card) || this.list.children.length !== ordered.length)
      replace(this.list, ...ordered);
  }

  fillCard(entry, symbol, jobs) {
    const name = symbol.symbol;
    const button = (text, action, extra = {}) =>
      h('button', { type: 'button', class: 'button secondary', onClick: action, ...extra, text });
    const actions = h(
      'div',
      { class: 'symbol-actions' },
      button('View chart', () => this.hooks.openChart(name)),
      button('Backfill now', () => this.run(entry, () => this.backfill(name)), { 'data-action': 'backfill' }),
      button('Edit timeframes', () => this.edit(entry, symbol), { 'data-action': 'edit', 'aria-expanded': 'false' }),
      button(symbol.active ? 'Pause' : 'Resume', () => this.run(entry, () => this.setActive(name, !symbol.active)), {
        'data-action': 'pause',
      }),
      button('Remove', () => this.run(entry, () => this.remove(name)), { class: 'button danger', 'data-action': 'remove' }),
    );
    const chips = (items) =>
      items.length
        ? h('ul', { class: 'chips' }, ...items.map((item) => h('li', { class: 'chip', text: item })))
        : h('span', { class: 'muted', text: 'none' });
    replace(
      entry.card,
      h(
        'div',
        { class: 'symbol-head' },
        h('h3', { text: name }),
        h('span', { class: 'chip', text: symbol.assetClass }),
        symbol.active ? null : h('span', { class: 'badge', 'data-status': 'warn', text: 'paused' }),
        actions,
      ),
      h(
        'dl',
        { class: 'meta' },
        h('div', { 'data-field': 'timeframes' }, h('dt', { text: 'Timeframes' }), h('dd', {}, chips(symbol.timeframes))),
        h('div', { 'data-field': 'indicators' }, h('dt', { text: 'Indicators' }), h('dd', {}, chips(symbol.indicators ?? []))),
        h('div', {}, h('dt', { text: 'Tracked since' }), h('dd', { text: new Date(symbol.createdAt).toLocaleString() })),
      ),
      entry.error,
      jobTable(name, symbol.timeframes, jobs),
    );
  }

  edit(entry, symbol) {
    if (entry.editing) return;
    entry.editing = true;
    const picker = timeframeCheckboxes(`edit-${symbol.symbol}`, this.settings.allowedTimeframes, symbol.timeframes);
    const done = () => {
      entry.editing = false;
      entry.signature = '';
      this.render();
    };
    const form = h(
      'form',
      { class: 'edit-timeframes', 'aria-label': `Timeframes of ${symbol.symbol}` },
      h('fieldset', { class: 'field-group' }, h('legend', { text: `Timeframes of ${symbol.symbol}` }), picker.element),
      h('button', { type: 'submit', class: 'button', text: 'Save timeframes' }),
      h('button', { type: 'button', class: 'button secondary', text: 'Cancel', onClick: done }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run(entry, async () => {
        const updated = await send('PUT', `${symbolPath(symbol.symbol)}/timeframes`, { timeframes: picker.selected() });
        this.announce(`${updated.symbol} now tracks ${updated.timeframes.join(', ')}.`);
        done();
      });
    });
    entry.card.querySelector('[data-action="edit"]')?.setAttribute('aria-expanded', 'true');
    entry.card.insertBefore(form, entry.error);
    /** @type {HTMLInputElement | null} */ (form.querySelector('input'))?.focus();
  }

  async backfill(symbol) {
    const accepted = await send('POST', `${symbolPath(symbol)}/backfill`, {});
    this.announce(`Backfill started for ${symbol}: ${accepted.jobs.map((job) => job.timeframe).join(', ') || 'no job due'}.`);
  }

  async setActive(symbol, active) {
    await send('PATCH', symbolPath(symbol), { active });
    this.announce(`${symbol} ${active ? 'resumed' : 'paused'}.`);
  }

  async remove(symbol) {
    const confirmed = await confirmAction(`Stop tracking ${symbol}? Its stored bars stay readable.`, `Stop tracking ${symbol}`);
    if (!confirmed) return;
    await send('DELETE', symbolPath(symbol));
    this.announce(`${symbol} is no longer tracked.`);
  }

  /** Runs a write, shows its error on the card (the API's reason), then refreshes. */
  async run(entry, action) {
    showError(entry.error, undefined);
    try {
      await action();
    } catch (error) {
      showError(entry.error, messageOf(error));
      return;
    }
    await this.refresh();
  }

  announce(text) {
    this.statusLine.textContent = text;
  }
}
