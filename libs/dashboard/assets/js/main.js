/**
 * The dashboard's entry point: reads the running configuration (GET ./config.json), the tracked
 * symbols and /health at once, draws the chart, and makes the other tabs when first opened.
 */
import { getJson } from './api.js';
import { forgetApiKey, onApiKeyChange } from './api-key.js';
import { ChartView } from './chart/chart-view.js';
import { byId } from './dom.js';
import { emptyHelp } from './empty-help.js';
import { fetchHealth, showHealth } from './health.js';
import { lazyView } from './lazy-view.js';
import { QueriesView } from './queries/queries-view.js';
import { setUpTabs } from './tabs.js';
import { readChartState } from './view-state.js';

async function loadSettings() {
  const response = await fetch(new URL('config.json', document.baseURI));
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return response.json();
}

async function main() {
  // The three reads the first chart waits for, at once.
  const [settings, tracked, firstHealth] = await Promise.all([
    loadSettings(),
    getJson('api/v1/symbols').then((body) => body.symbols),
    fetchHealth().catch(() => undefined),
  ]);
  let health = firstHealth;
  const badge = byId('health-badge');
  showHealth(badge, health);
  onApiKeyChange((present) => (byId('api-key-badge').hidden = !present));
  byId('api-key-forget').addEventListener('click', () => forgetApiKey());

  /** @type {{ select(id: string): void }} */
  let tabs = { select: () => undefined };
  const help = emptyHelp(() => health, {
    trackSymbol: () => {
      tabs.select('symbols');
      byId('add-symbol-input').focus();
    },
    openSymbols: () => tabs.select('symbols'),
  });
  const queries = new QueriesView(settings);
  const chart = new ChartView(settings, readChartState(), { onQueryChange: (query) => queries.update(query), emptyHelp: help });
  let started = false;

  const symbols = lazyView(async () => {
    const { SymbolsView } = await import('./symbols/symbols-view.js');
    const view = new SymbolsView(settings, {
      onSymbolsChange: (list) => {
        const hadSymbol = chart.state.symbol !== undefined;
        chart.setSymbols(list);
        if (started && !hadSymbol && chart.state.symbol !== undefined) void chart.reload();
      },
      openChart: (symbol) => {
        tabs.select('chart');
        chart.change({ symbol });
      },
    });
    view.symbols = tracked;
    return view;
  });
  const operations = lazyView(async () => {
    const { OperationsView } = await import('./operations/operations-view.js');
    return new OperationsView({
      onHealth: (latest) => {
        health = latest;
        showHealth(badge, latest);
      },
    });
  });

  chart.setSymbols(tracked);
  tabs = setUpTabs({ chart, symbols, operations });
  await chart.start();
  started = true;
}

main().catch((error) => {
  const box = document.getElementById('chart-error');
  if (box) {
    box.textContent = `The dashboard could not start: ${error instanceof Error ? error.message : String(error)}`;
    box.hidden = false;
  }
  console.error(error);
});
