/** A group of timeframe checkboxes (every allowed timeframe), for adding a symbol or changing its list. */
import { h } from '../dom.js';

/**
 * @param {string} name distinguishes the inputs of different groups
 * @param {string[]} allowed ALLOWED_TIMEFRAMES
 * @param {readonly string[]} checked
 */
export function timeframeCheckboxes(name, allowed, checked) {
  const boxes = allowed.map(
    (tf) => /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', name, value: tf, checked: checked.includes(tf) })),
  );
  const element = h('div', { class: 'checks' }, ...boxes.map((box) => h('label', { class: 'check' }, box, box.value)));
  return { element, selected: () => boxes.filter((box) => box.checked).map((box) => box.value) };
}
