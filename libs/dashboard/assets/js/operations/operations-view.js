/**
 * The operations tab: health, alerts, latency per timeframe, storage and compression, provider
 * budget and backfill outcomes, refreshed every few seconds while the tab is open.
 */
import { getJson, messageOf } from '../api.js';
import { byId, h, replace, showError } from '../dom.js';
import { fetchHealth } from '../health.js';
import { Poller } from '../poller.js';
import { alertsSection } from './alerts-section.js';
import { healthSection } from './health-section.js';
import { backfillSection, latencySection, providerSection, storageSection } from './performance-sections.js';

const REFRESH_MS = 5_000;

/** The cards of the tab, in order: each is #ops-<id> under its heading. */
const SECTIONS = {
  health: 'Health',
  alerts: 'Alerts',
  latency: 'Latency per timeframe',
  storage: 'Storage',
  provider: 'Provider budget',
  backfill: 'Backfill outcomes',
};

export class OperationsView {
  /** @param {{ onHealth: (health: any) => void }} hooks */
  constructor(hooks) {
    this.hooks = hooks;
    this.status = byId('ops-status');
    this.errorBox = byId('ops-error');
    this.sections = Object.fromEntries(Object.keys(SECTIONS).map((id) => [id, h('div', { id: `ops-${id}` })]));
    replace(
      byId('ops-grid'),
      ...Object.entries(SECTIONS).map(([id, title]) =>
        h(
          'section',
          { class: 'card', 'aria-labelledby': `ops-${id}-title` },
          h('h3', { id: `ops-${id}-title`, text: title }),
          this.sections[id],
        ),
      ),
    );
    this.poller = new Poller(() => this.refresh(), REFRESH_MS);
    byId('ops-refresh').addEventListener('click', () => void this.poller.now());
  }

  show() {
    this.poller.start();
    void this.poller.now();
  }

  hide() {
    this.poller.stop();
  }

  async refresh() {
    const [health, alerts, performance] = await Promise.allSettled([
      fetchHealth(),
      getJson('api/v1/monitor/alerts'),
      getJson('api/v1/monitor/performance'),
    ]);
    const problems = [];
    const sections = this.sections;
    if (health.status === 'fulfilled') {
      replace(sections.health, healthSection(health.value));
      this.hooks.onHealth(health.value);
    } else problems.push(`health: ${messageOf(health.reason)}`);
    if (alerts.status === 'fulfilled') replace(sections.alerts, alertsSection(alerts.value));
    else problems.push(`alerts: ${messageOf(alerts.reason)}`);
    if (performance.status === 'fulfilled') {
      const report = performance.value;
      replace(sections.latency, latencySection(report.latency));
      replace(sections.storage, storageSection(report.storage));
      replace(sections.provider, providerSection(report.provider));
      replace(sections.backfill, backfillSection(report.backfill));
    } else problems.push(`performance: ${messageOf(performance.reason)}`);
    showError(this.errorBox, problems.length ? `Could not load ${problems.join('; ')}` : undefined);
    this.status.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${REFRESH_MS / 1000} s while this tab is open.`;
  }
}
