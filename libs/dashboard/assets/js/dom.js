/**
 * Small DOM helpers: build elements with text (never HTML strings, so nothing from the API can
 * become markup), and look elements up by id.
 */

/**
 * @param {string} tag
 * @param {Record<string, unknown>} [props] `class`, `text`, `on<Event>` handlers, `hidden`, `disabled`,
 *   `value`, `checked`; anything else becomes an attribute (aria-*, data-*, type, for, ...).
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = String(value);
    else if (name === 'text') element.textContent = String(value);
    else if (name.startsWith('on') && typeof value === 'function')
      element.addEventListener(name.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    else if (name === 'hidden' || name === 'disabled' || name === 'checked' || name === 'value') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** @param {Element} parent @param {Array<Node | string | null | undefined | false>} children */
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** @param {Element} parent @param {...(Node | string | null | undefined | false)} children */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`dashboard: #${id} is missing from the page`);
  return /** @type {T} */ (element);
}

/** Shows `message` in an error box (role=alert), or hides the box when there is none. */
export function showError(box, message) {
  box.textContent = message ?? '';
  box.hidden = !message;
}

/** A <dl class="kv"> of label/value pairs; values may be nodes. */
export function keyValues(pairs) {
  const list = h('dl', { class: 'kv' });
  for (const [label, value] of pairs) list.append(h('dt', { text: label }), h('dd', {}, value ?? '—'));
  return list;
}

/** A table with a header row; cells may be nodes or text. Right-aligns the columns listed in `numeric`. */
export function table(caption, headers, rows, numeric = []) {
  const head = h('tr', {}, ...headers.map((text, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'number' : null, text })));
  const body = rows.map((cells) => h('tr', {}, ...cells.map((cell, i) => h('td', { class: numeric.includes(i) ? 'number' : null }, cell))));
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', {}, h('caption', { class: 'visually-hidden', text: caption }), h('thead', {}, head), h('tbody', {}, ...body)),
  );
}
