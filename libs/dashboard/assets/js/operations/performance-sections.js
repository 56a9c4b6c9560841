/** The parts of GET /api/v1/monitor/performance: latency per timeframe, storage, provider budget, backfill outcomes. */
import { h, keyValues, table } from '../dom.js';
import { bytes, count, percent, percentOfRatio, seconds } from '../format.js';
import { TIMEFRAMES } from '../timeframes.js';

const WINDOW_LABELS = { last5Minutes: 'last 5 min', lastHour: 'last hour' };
const byTimeframe = (a, b) => TIMEFRAMES.indexOf(a.key) - TIMEFRAMES.indexOf(b.key);

export function latencySection(latency) {
  const rows = [];
  for (const [window, summary] of Object.entries(latency ?? {})) {
    for (const tf of [...summary.timeframes].sort(byTimeframe))
      rows.push([
        tf.key,
        h('span', { class: 'nowrap', text: WINDOW_LABELS[window] ?? window }),
        count(tf.count),
        seconds(tf.p50),
        seconds(tf.p95),
        seconds(tf.p99),
      ]);
  }
  const ratio = latency?.lastHour?.minuteToFiveMinuteRatio;
  const routes = (latency?.lastHour?.routes ?? [])
    .slice()
    .sort((a, b) => b.count - a.count)
    .slice(0, 8)
    .map((route) => [route.key, count(route.count), seconds(route.p50), seconds(route.p95)]);
  return h(
    'div',
    {},
    rows.length
      ? table('Candle request latency per timeframe', ['Timeframe', 'Window', 'Requests', 'p50', 'p95', 'p99'], rows, [2, 3, 4, 5])
      : h('p', { class: 'muted', text: 'No candle request yet in the last hour.' }),
    ratio && ratio.p95 !== null
      ? h('p', { class: 'hint', text: `1m over 5m p95 (last hour): ${ratio.p95.toFixed(2)}× (a 1m page holds five times the bars)` })
      : null,
    routes.length
      ? h(
          'details',
          {},
          h('summary', { text: 'Busiest routes (last hour)' }),
          table('Busiest routes', ['Route', 'Requests', 'p50', 'p95'], routes, [1, 2, 3]),
        )
      : null,
  );
}

export function storageSection(storage) {
  if (!storage) return h('p', { class: 'muted', text: 'No storage sample yet; one is taken every STORAGE_SAMPLE_INTERVAL.' });
  const capacity = storage.capacity ?? {};
  const used = capacity.percentUsed;
  const meter =
    used === null || used === undefined
      ? h('span', { class: 'muted', text: 'capacity unknown' })
      : h(
          'span',
          { class: 'nowrap' },
          h('meter', {
            min: '0',
            max: '100',
            low: String(capacity.thresholdPercent * 0.75),
            high: String(capacity.thresholdPercent),
            value: String(used),
            'aria-label': 'Storage used',
          }),
          ` ${percent(used)} of ${bytes(capacity.bytes)}`,
        );
  const compression = storage.compression;
  const timeframes = Object.entries(storage.timeframes ?? {}).map(([tf, usage]) => [tf, count(usage.rows), bytes(usage.bytes)]);
  return h(
    'div',
    {},
    keyValues([
      ['Database', bytes(storage.databaseBytes)],
      ['market_data', `${count(storage.marketData?.rows)} rows, ${bytes(storage.marketData?.bytes)}`],
      [
        'Compression',
        compression
          ? `${compression.ratio === null ? 'no chunk compressed yet' : `${compression.ratio.toFixed(1)}×`} (${compression.compressedChunks} of ${compression.totalChunks} chunks)`
          : 'none (plain PostgreSQL; TimescaleDB compresses)',
      ],
      [
        'Growth',
        storage.growth
          ? `${bytes(storage.growth.bytesPerDay)}/day, ${bytes(storage.growth.bytesPerMonth)}/month`
          : 'not known yet (two samples an hour apart needed)',
      ],
      ['Capacity', meter],
      [
        'Alert threshold',
        capacity.daysUntilThreshold === null || capacity.daysUntilThreshold === undefined
          ? `${capacity.thresholdPercent} %`
          : `${capacity.thresholdPercent} % in ${count(capacity.daysUntilThreshold)} days`,
      ],
      ['Sampled', storage.sampledAt ? new Date(storage.sampledAt).toLocaleString() : '—'],
    ]),
    timeframes.length ? table('Bars stored per timeframe', ['Timeframe', 'Rows', 'Bytes'], timeframes, [1, 2]) : null,
  );
}

export function providerSection(provider) {
  const ratio = provider?.budgetUsedRatio;
  return keyValues([
    [
      'Budget used (this minute)',
      ratio === null || ratio === undefined
        ? 'not measured'
        : h(
            'span',
            { class: 'nowrap' },
            h('meter', { min: '0', max: '1', high: '0.9', value: String(ratio), 'aria-label': 'Provider budget used' }),
            ` ${percentOfRatio(ratio)}`,
          ),
    ],
    ['Requests', count(provider?.requests)],
    ['Rate limited (429)', count(provider?.rateLimited)],
    ['Retries', count(provider?.retries)],
  ]);
}

export function backfillSection(backfill) {
  if (!backfill?.length) return h('p', { class: 'muted', text: 'No backfill job yet.' });
  return table(
    'Backfill jobs per timeframe and state',
    ['Timeframe', 'State', 'Jobs', 'Bars', 'Errors'],
    backfill.map((row) => [
      row.timeframe,
      h('span', { class: `state state-${row.state}`, text: row.state }),
      count(row.jobs),
      count(row.bars),
      count(row.errors),
    ]),
    [2, 3, 4],
  );
}
