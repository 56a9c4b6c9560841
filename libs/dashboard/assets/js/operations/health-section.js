/** /health in words: database, ingestion, cache, alerts firing. */
import { h, keyValues } from '../dom.js';

/** @param {any} health the body of GET /health (200 or 503) */
export function healthSection(health) {
  const details = health?.details ?? {};
  const database = details.database ?? {};
  const ingestion = details.ingestion ?? {};
  const cache = details.cache ?? {};
  const state = (good, status) => h('span', { class: `state ${good ? 'state-done' : 'state-failed'}`, text: status ?? 'unknown' });
  const up = (part) => state(part?.status === 'up', part?.status);
  const engine = database.engine
    ? `${database.engine}${database.serverVersion ? ` ${database.serverVersion}` : ''}${database.embedded ? ' (embedded)' : ''}`
    : '—';
  return h(
    'div',
    { 'data-health': health?.status ?? 'unknown' },
    keyValues(
      [
        ['Overall', state(health?.status === 'ok', health?.status)],
        ['Database', h('span', {}, up(database), ` ${engine}`)],
        ['TimescaleDB', database.timescaledb ? 'yes' : `no${database.timescaledbReason ? ` — ${database.timescaledbReason}` : ''}`],
        [
          'Migrations',
          database.migrationsApplied === undefined
            ? '—'
            : `${database.migrationsApplied} applied, ${database.migrationsPending ?? 0} pending`,
        ],
        [
          'Ingestion',
          h(
            'span',
            {},
            up(ingestion),
            ` ${ingestion.enabled ? `on (${ingestion.provider ?? 'provider'})` : `off${ingestion.reason ? ` — ${ingestion.reason}` : ''}`}`,
          ),
        ],
        ['Answer cache', cache.cache ?? '—'],
        ['Error', database.error ?? database.message ?? null],
      ].filter(([, value]) => value !== null),
    ),
  );
}
