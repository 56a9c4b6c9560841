/**
 * The API key, when the server wants one: asked for once, kept in sessionStorage (this tab only,
 * gone when it closes), sent as X-API-Key, never put in a URL, never logged.
 */
import { byId } from './dom.js';

const STORAGE_KEY = 'market-data-api-key';
const listeners = new Set();

/** @returns {string | undefined} */
export function apiKey() {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function forgetApiKey() {
  sessionStorage.removeItem(STORAGE_KEY);
  notify();
}

/** @param {(present: boolean) => void} listener */
export function onApiKeyChange(listener) {
  listeners.add(listener);
  listener(apiKey() !== undefined);
}

function notify() {
  for (const listener of listeners) listener(apiKey() !== undefined);
}

/** @type {Promise<string | undefined> | undefined} */
let asking;

/**
 * Opens the key dialog (once, however many requests are waiting) and resolves with the key
 * entered, or undefined when the person cancels.
 * @param {string} reason what the server said
 */
export function askForApiKey(reason) {
  asking ??= new Promise((resolve) => {
    const dialog = /** @type {HTMLDialogElement} */ (byId('api-key-dialog'));
    const input = /** @type {HTMLInputElement} */ (byId('api-key-input'));
    byId('api-key-reason').textContent = reason;
    input.value = '';
    dialog.returnValue = '';
    dialog.addEventListener(
      'close',
      () => {
        const key = input.value.trim();
        input.value = '';
        if (dialog.returnValue === 'save' && key !== '') {
          sessionStorage.setItem(STORAGE_KEY, key);
          notify();
          resolve(key);
        } else resolve(undefined);
      },
      { once: true },
    );
    dialog.showModal();
    input.focus();
  }).finally(() => (asking = undefined));
  return asking;
}
