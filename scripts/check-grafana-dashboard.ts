/**
 * Checks a Grafana dashboard of deploy/grafana: it parses; every panel has a unique id, a gridPos
 * inside the 24 columns that overlaps no other, and the `${DS_PROMETHEUS}` datasource; the
 * DS_PROMETHEUS and instance variables exist; every query is valid PromQL (promtool check rules
 * on a throwaway rules file) and names only metrics that the code's prom-client files name (or
 * Prometheus's own, or prom-client's defaults).
 *
 *   npm run ts -- scripts/check-grafana-dashboard.ts [deploy/grafana/market-data-api.json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DATASOURCE_UID = '${DS_PROMETHEUS}';
const GRID_COLUMNS = 24;
/** What Grafana puts in place of its variables, as far as PromQL syntax goes. */
const VARIABLE_VALUES: Record<string, string> = { __rate_interval: '5m', __interval: '1m', __range: '1h' };
/** Series Prometheus makes itself, and prom-client's default metrics (collectDefaultMetrics). */
const PROMETHEUS_OWN = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);
const DEFAULT_METRIC_PREFIXES = ['process_', 'nodejs_', 'scrape_'];
const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Target {
  refId?: string;
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: GridPos;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}

const file = process.argv[2] ?? 'deploy/grafana/market-data-api.json';
const problems: string[] = [];

const dashboard = JSON.parse(readFileSync(file, 'utf8'));
if (typeof dashboard.schemaVersion !== 'number') problems.push('schemaVersion is missing');
const variables: { name?: string; type?: string; query?: unknown }[] = dashboard.templating?.list ?? [];
if (!variables.some((v) => v.name === 'DS_PROMETHEUS' && v.type === 'datasource' && v.query === 'prometheus')) {
  problems.push('no DS_PROMETHEUS datasource variable (type datasource, query prometheus)');
}
if (!variables.some((v) => v.name === 'instance')) problems.push('no instance variable');

const panels: Panel[] = (dashboard.panels ?? []).flatMap((panel: Panel) => [panel, ...(panel.panels ?? [])]);
const ids = new Set<number>();
const queries: { panel: string; refId: string; expr: string }[] = [];
for (const panel of panels) {
  const name = `panel ${panel.id ?? '?'} "${panel.title ?? ''}"`;
  if (typeof panel.id !== 'number') problems.push(`${name}: no numeric id`);
  else if (ids.has(panel.id)) problems.push(`${name}: id used twice`);
  else ids.add(panel.id);
  const pos = panel.gridPos;
  if (
    !pos ||
    ![pos.x, pos.y, pos.w, pos.h].every(Number.isInteger) ||
    pos.x < 0 ||
    pos.w < 1 ||
    pos.h < 1 ||
    pos.x + pos.w > GRID_COLUMNS
  ) {
    problems.push(`${name}: gridPos missing or outside the ${GRID_COLUMNS} columns`);
  }
  if (panel.datasource?.uid !== DATASOURCE_UID) problems.push(`${name}: datasource is not ${DATASOURCE_UID}`);
  if (panel.type !== 'row' && !panel.targets?.length) problems.push(`${name}: no queries`);
  const refIds = new Set<string>();
  for (const target of panel.targets ?? []) {
    const refId = target.refId ?? '?';
    if (refIds.has(refId)) problems.push(`${name}: refId ${refId} used twice`);
    refIds.add(refId);
    if (target.datasource?.uid !== DATASOURCE_UID) problems.push(`${name} ${refId}: datasource is not ${DATASOURCE_UID}`);
    if (!target.expr?.trim()) problems.push(`${name} ${refId}: no expr`);
    else queries.push({ panel: name, refId, expr: target.expr });
  }
}
for (const [i, a] of panels.entries()) {
  for (const b of panels.slice(i + 1)) {
    const p = a.gridPos;
    const q = b.gridPos;
    if (p && q && p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) {
      problems.push(`panels ${a.id} and ${b.id} overlap`);
    }
  }
}

// Every query through promtool, one recording rule each, with Grafana's variables filled in.
const withValues = (expr: string): string =>
  expr.replace(/\$\{?(\w+)(?::\w+)?\}?/g, (_match, variable: string) => VARIABLE_VALUES[variable] ?? '.*');
const dir = mkdtempSync(join(tmpdir(), 'grafana-check-'));
try {
  const rules = queries.map((query, i) => `      - record: query_${i}\n        expr: ${JSON.stringify(withValues(query.expr))}\n`).join('');
  writeFileSync(join(dir, 'queries.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules}`);
  try {
    execFileSync('promtool', ['check', 'rules', join(dir, 'queries.yml')], { stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string; message: string }).stderr || (error as { stdout?: string }).stdout;
    const text = String(output ?? (error as Error).message);
    // promtool names the rule by its position in the group (1-based): say which panel's query it was.
    const named = text.replace(/rule (\d+)/g, (match, n: string) => {
      const query = queries[Number(n) - 1];
      return query ? `${match} (${query.panel} ${query.refId})` : match;
    });
    problems.push(`promtool check rules:\n${named.trim()}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Metric names: every string literal of the files that use prom-client (names are given there, as
// `name: '...'` or to a helper), a histogram's or summary's also with _bucket, _sum and _count.
const registered = new Set(PROMETHEUS_OWN);
for (const root of ['libs', 'apps']) {
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts') || /\.(e2e-)?spec\.ts$/.test(entry) || /(^|\/)(testing|test)\//.test(entry)) continue;
    const source = readFileSync(join(root, entry), 'utf8');
    if (!source.includes("from 'prom-client'")) continue;
    for (const [, name] of source.matchAll(/'([a-zA-Z_:][\w:]*)'/g)) registered.add(name);
  }
}
const isRegistered = (metric: string): boolean =>
  registered.has(metric) ||
  DEFAULT_METRIC_PREFIXES.some((prefix) => metric.startsWith(prefix)) ||
  registered.has(metric.replace(/_(bucket|sum|count)$/, ''));
const unknown = new Map<string, string[]>();
for (const query of queries) {
  for (const metric of metricNames(withValues(query.expr))) {
    if (isRegistered(metric)) continue;
    unknown.set(metric, [...(unknown.get(metric) ?? []), `${query.panel} ${query.refId}`]);
  }
}
for (const [metric, where] of unknown) problems.push(`${metric} is registered nowhere in libs/ or apps/ (${where.join(', ')})`);

if (problems.length) {
  console.error(`${file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}
console.log(`${file}: ${panels.length} panels, ${queries.length} queries, valid PromQL, every metric registered`);

/** The metric names of a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+-?\w+/g, ' ');
  const names: string[] = [];
  for (const match of bare.matchAll(/(\d+(?:\.\d+)?(?:e[+-]?\d+)?|0x[0-9a-f]+)|([a-zA-Z_:][\w:]*)(\s*\()?/gi)) {
    const [, number, identifier, call] = match;
    if (number || !identifier || call || PROMQL_WORDS.has(identifier.toLowerCase())) continue;
    names.push(identifier);
  }
  return [...new Set(names)];
}
