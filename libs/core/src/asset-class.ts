/** Asset class from the Polygon ticker prefix: X: crypto, C: forex, I: indices, otherwise stocks. */
export type AssetClass = 'stocks' | 'crypto' | 'forex' | 'indices';

const PREFIXES: ReadonlyArray<readonly [string, AssetClass]> = [
  ['X:', 'crypto'],
  ['C:', 'forex'],
  ['I:', 'indices'],
];

export function assetClassOf(symbol: string): AssetClass {
  const head = symbol.trim().slice(0, 2).toUpperCase();
  return PREFIXES.find(([prefix]) => prefix === head)?.[1] ?? 'stocks';
}
