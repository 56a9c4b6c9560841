/**
 * The indicators the chart can draw, computed by the API (GET /api/v1/asset/{symbol}/indicators):
 * moving averages and Bollinger bands over the price, RSI and MACD in panes of their own.
 */

/**
 * @typedef {object} IndicatorChoice
 * @property {string} id the API's name
 * @property {string} label
 * @property {number[]} params the API's parameters, in spec order
 * @property {'price' | 'rsi' | 'macd'} pane
 * @property {{ key: string | null, label: string, colorIndex: number, kind?: 'line' | 'histogram' }[]} outputs
 *   key: the output inside an object value (null: the value is a number)
 */

/** @type {IndicatorChoice[]} */
export const INDICATOR_CHOICES = [
  { id: 'sma', label: 'SMA', params: [20], pane: 'price', outputs: [{ key: null, label: 'SMA', colorIndex: 0 }] },
  { id: 'ema', label: 'EMA', params: [50], pane: 'price', outputs: [{ key: null, label: 'EMA', colorIndex: 1 }] },
  {
    id: 'bbands',
    label: 'Bollinger',
    params: [20, 2],
    pane: 'price',
    outputs: [
      { key: 'upper', label: 'BB upper', colorIndex: 2 },
      { key: 'middle', label: 'BB mid', colorIndex: 2 },
      { key: 'lower', label: 'BB lower', colorIndex: 2 },
    ],
  },
  { id: 'rsi', label: 'RSI', params: [14], pane: 'rsi', outputs: [{ key: null, label: 'RSI', colorIndex: 3 }] },
  {
    id: 'macd',
    label: 'MACD',
    params: [12, 26, 9],
    pane: 'macd',
    outputs: [
      { key: 'histogram', label: 'MACD hist', colorIndex: 4, kind: 'histogram' },
      { key: 'macd', label: 'MACD', colorIndex: 0 },
      { key: 'signal', label: 'Signal', colorIndex: 1 },
    ],
  },
];

/** @param {IndicatorChoice} choice */
export const specOf = (choice) => `${choice.id}:${choice.params.join(':')}`;

/** The choice a spec names (by its name; the parameters are the choice's own). */
export function choiceOf(spec) {
  const name = spec.split(':')[0].toLowerCase();
  return INDICATOR_CHOICES.find((choice) => choice.id === name);
}

/** Panes below the price, in order, that the given specs need. */
export function panesFor(specs) {
  return ['rsi', 'macd'].filter((pane) => specs.some((spec) => choiceOf(spec)?.pane === pane));
}
