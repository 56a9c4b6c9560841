/** Asks the person to confirm something that cannot be undone, in the page's own dialog. */
import { byId } from '../dom.js';

/** @returns {Promise<boolean>} */
export function confirmAction(text, confirmLabel) {
  const dialog = /** @type {HTMLDialogElement} */ (byId('confirm-dialog'));
  byId('confirm-text').textContent = text;
  byId('confirm-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
  });
}
