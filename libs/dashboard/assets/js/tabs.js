/**
 * The three views as an ARIA tablist: click or arrow keys switch, the fragment (#symbols) names
 * the view so it can be linked, and each view is told when it is shown or hidden (to poll only then).
 */
const TAB_IDS = ['chart', 'symbols', 'operations'];

/** @param {Record<string, { show(): void, hide(): void }>} views */
export function setUpTabs(views) {
  const tabs = TAB_IDS.map((id) => /** @type {HTMLButtonElement} */ (document.getElementById(`tab-${id}`)));
  let current = '';

  const select = (id, focus = false) => {
    if (!TAB_IDS.includes(id)) id = 'chart';
    if (id === current) return;
    const previous = current;
    current = id;
    for (const tab of tabs) {
      const selected = tab.id === `tab-${id}`;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(/** @type {string} */ (tab.getAttribute('aria-controls')));
      if (panel) panel.hidden = !selected;
      if (selected && focus) tab.focus();
    }
    if (previous) views[previous]?.hide();
    views[id]?.show();
    const hash = id === 'chart' ? '' : `#${id}`;
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  };

  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => select(TAB_IDS[index]));
    tab.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step !== undefined) {
        event.preventDefault();
        select(TAB_IDS[(index + step + TAB_IDS.length) % TAB_IDS.length], true);
      } else if (event.key === 'Home' || event.key === 'End') {
        event.preventDefault();
        select(TAB_IDS[event.key === 'Home' ? 0 : TAB_IDS.length - 1], true);
      }
    });
  });
  window.addEventListener('hashchange', () => select(location.hash.slice(1)));
  select(location.hash.slice(1));
  return { select };
}
