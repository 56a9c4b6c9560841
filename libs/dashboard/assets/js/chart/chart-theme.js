/** The chart's colours, read from the stylesheet's custom properties so canvas and page agree (light and dark). */

const DARK = window.matchMedia('(prefers-color-scheme: dark)');

/**
 * @typedef {object} ChartTheme
 * @property {string} background
 * @property {string} text
 * @property {string} muted
 * @property {string} grid
 * @property {string} border
 * @property {string} up
 * @property {string} down
 * @property {string} forming
 * @property {string} gap
 * @property {string} gapFetched
 * @property {string[]} indicators
 */

/** @returns {ChartTheme} */
export function chartTheme() {
  const style = getComputedStyle(document.documentElement);
  const read = (name) => style.getPropertyValue(`--${name}`).trim();
  return {
    background: read('chart-bg'),
    text: read('text'),
    muted: read('text-muted'),
    grid: read('chart-grid'),
    border: read('border'),
    up: read('up'),
    down: read('down'),
    forming: read('forming'),
    gap: read('gap'),
    gapFetched: read('gap-fetched'),
    indicators: [1, 2, 3, 4, 5].map((n) => read(`ind-${n}`)),
  };
}

/** Calls `listener` whenever the system switches between light and dark. */
export function onThemeChange(listener) {
  DARK.addEventListener('change', () => listener(chartTheme()));
}

/** `#rrggbb` with an alpha, for volume bars and hollow (forming) candles. */
export function withAlpha(color, alpha) {
  const match = /^#([0-9a-f]{6})$/i.exec(color);
  if (!match) return color;
  const value = parseInt(match[1], 16);
  return `rgba(${value >> 16}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}
