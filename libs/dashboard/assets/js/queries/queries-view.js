/**
 * Example queries for what the chart shows: the API URL, curl for JSON and CSV (and the
 * indicators route when overlays are on), each copyable, and a sample of the answer, fetched
 * only when the person opens it. The key, if any, is never written out: curl reads it from
 * $MARKET_DATA_API_KEY.
 */
import { SERVICE_ROOT, assetPath, getJson, getText, messageOf } from '../api.js';
import { byId, h, replace } from '../dom.js';
import { iso } from '../ny-time.js';

const SAMPLE_BARS = 3;

/** Single-quoted for a POSIX shell. */
const shellQuote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;

export class QueriesView {
  /** @param {{ publicBaseUrl: string | null, apiKeys: { reads: boolean } }} settings */
  constructor(settings) {
    this.settings = settings;
    this.body = byId('queries-body');
    /** @type {object | undefined} */
    this.query = undefined;
  }

  /** The public address clients use: PUBLIC_BASE_URL when set, else where this page came from. */
  publicUrl(path, params) {
    const base = this.settings.publicBaseUrl ? new URL(this.settings.publicBaseUrl.replace(/\/?$/, '/')) : SERVICE_ROOT;
    const url = new URL(path, base);
    // Written out by hand: ':' and ',' are fine in a query string and keep the times and lists readable.
    const query = Object.entries(params)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([name, value]) => `${name}=${encodeURIComponent(String(value)).replace(/%3A/gi, ':').replace(/%2C/gi, ',')}`)
      .join('&');
    return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
  }

  /** @param {{ symbol: string, timeframe: string, source: string, session: string, start: number, end: number, indicators: string[] } | undefined} query */
  update(query) {
    this.query = query;
    if (!query) {
      replace(this.body, h('p', { class: 'muted', text: 'Track a symbol to see queries for it.' }));
      return;
    }
    const params = this.paramsOf(query);
    const candles = assetPath(query.symbol, 'candles');
    const jsonUrl = this.publicUrl(candles, params);
    const csvUrl = this.publicUrl(candles, { ...params, format: 'csv' });
    const keyHeader = this.settings.apiKeys.reads ? ` -H 'X-API-Key: '"$MARKET_DATA_API_KEY"` : '';
    const rows = [
      ['API URL', jsonUrl, 'query-url'],
      ['curl (JSON)', `curl --compressed${keyHeader} ${shellQuote(jsonUrl)}`, 'query-curl-json'],
      [
        'curl (CSV)',
        `curl --compressed${keyHeader} ${shellQuote(csvUrl)} -o ${query.symbol.replace(/[^A-Za-z0-9.]/g, '_')}-${query.timeframe}.csv`,
        'query-curl-csv',
      ],
    ];
    if (query.indicators.length) {
      const indicatorsUrl = this.publicUrl(assetPath(query.symbol, 'indicators'), { ...params, indicators: query.indicators.join(',') });
      rows.push(['curl (indicators)', `curl --compressed${keyHeader} ${shellQuote(indicatorsUrl)}`, 'query-curl-indicators']);
    }
    const jsonPreview = h('pre', { 'data-preview': 'json', tabindex: '0', 'aria-label': 'Sample JSON answer' });
    const csvPreview = h('pre', { 'data-preview': 'csv', tabindex: '0', 'aria-label': 'Sample CSV answer' });
    const details = /** @type {HTMLDetailsElement} */ (
      h(
        'details',
        { class: 'preview' },
        h('summary', { text: `Sample response (first ${SAMPLE_BARS} bars, limit=${SAMPLE_BARS})` }),
        h('h4', { text: 'JSON' }),
        jsonPreview,
        h('h4', { text: 'CSV' }),
        csvPreview,
      )
    );
    details.addEventListener('toggle', () => {
      if (details.open) void this.preview(query, jsonPreview, csvPreview);
    });
    replace(
      this.body,
      ...rows.map(([label, text, id]) =>
        h('div', { class: 'query-row' }, h('span', { class: 'query-label', text: label }), h('pre', { id, text }), copyButton(text, label)),
      ),
      h('p', {
        class: 'hint',
        text: 'Times are UTC in the API (ISO-8601 or Unix ms). A page holds at most CANDLES_PAGE_SIZE bars; follow nextCursor (JSON) or the X-Next-Cursor/Link headers (CSV) for the rest.',
      }),
      details,
    );
  }

  paramsOf(query) {
    return {
      timeframe: query.timeframe,
      start: iso(query.start),
      end: iso(query.end),
      source: query.source === 'auto' ? undefined : query.source,
      session: query.session === 'extended' ? undefined : query.session,
    };
  }

  async preview(query, jsonBox, csvBox) {
    const params = { ...this.paramsOf(query), limit: SAMPLE_BARS };
    const path = assetPath(query.symbol, 'candles');
    jsonBox.textContent = 'Loading…';
    csvBox.textContent = 'Loading…';
    try {
      const [json, csv] = await Promise.all([getJson(path, params), getText(path, { ...params, format: 'csv' })]);
      if (this.query !== query) return;
      jsonBox.textContent = JSON.stringify(json, null, 2);
      const headers = ['X-Candle-Source', 'X-Next-Cursor'].map((name) => `${name}: ${csv.headers.get(name) ?? '(none)'}`).join('\n');
      csvBox.textContent = `${headers}\n\n${csv.text}`;
    } catch (error) {
      jsonBox.textContent = messageOf(error);
      csvBox.textContent = '';
    }
  }
}

function copyButton(text, label) {
  const button = h('button', { type: 'button', class: 'button secondary', 'aria-label': `Copy ${label}`, text: 'Copy' });
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  });
  return button;
}
