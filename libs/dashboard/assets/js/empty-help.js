/** What the chart says when there is nothing to draw: how to track a symbol, and whether ingestion is on. */
import { SERVICE_ROOT } from './api.js';
import { h } from './dom.js';

/**
 * @param {() => any} health the latest /health body
 * @param {{ trackSymbol: () => void, openSymbols: () => void }} actions
 * @returns {(kind: 'no-symbols' | 'no-bars') => Node[]}
 */
export function emptyHelp(health, actions) {
  const ingestionNote = () =>
    health()?.details?.ingestion?.enabled === false
      ? h('p', {
          text: 'Ingestion is off: set POLYGON_API_KEY to your Polygon.io (Massive.com) key and restart. Stored bars are still served.',
        })
      : null;
  const curl = `curl -X POST ${new URL('api/v1/symbols', SERVICE_ROOT)} -H 'Content-Type: application/json' -d '{"symbol":"AAPL","timeframes":["1m","1h","1d"]}'`;
  return (kind) => {
    const nodes =
      kind === 'no-symbols'
        ? [
            h('p', { text: 'Track one on the Symbols tab (it is backfilled in each of its timeframes), or from a shell:' }),
            h('pre', { text: curl }),
            ingestionNote(),
            h('button', { type: 'button', class: 'button', text: 'Track a symbol', onClick: actions.trackSymbol }),
          ]
        : [
            h('p', { text: 'Its backfill may still be running (see the Symbols tab), or the provider has no bars for it.' }),
            ingestionNote(),
            h('button', { type: 'button', class: 'button secondary', text: 'Open Symbols', onClick: actions.openSymbols }),
          ];
    return /** @type {Node[]} */ (nodes.filter((node) => node !== null));
  };
}
