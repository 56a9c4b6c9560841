/**
 * A tab's view, made the first time the tab is shown: its modules load then, not with the page,
 * so the first chart waits only for what it needs.
 * @template {{ show(): void, hide(): void }} V
 * @param {() => Promise<V>} make
 */
export function lazyView(make) {
  /** @type {Promise<V> | undefined} */
  let making;
  /** @type {V | undefined} */
  let view;
  let shown = false;
  const get = () => (making ??= make().then((made) => (view = made)));
  return {
    get,
    show() {
      shown = true;
      void get().then((made) => shown && made.show());
    },
    hide() {
      shown = false;
      view?.hide();
    },
  };
}
