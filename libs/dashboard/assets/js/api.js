/**
 * The REST API as the page uses it: JSON in and out, the API's error body turned into an
 * ApiError whose message is the server's own (a 400 says which field and why), and the API
 * key asked for when the server answers 401/403 about it.
 */
import { apiKey, askForApiKey } from './api-key.js';

/** The service root, whatever path prefix the page is served under (the page lives at <root>/dashboard/). */
export const SERVICE_ROOT = new URL('../', document.baseURI);

class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {string} [requestId]
   */
  constructor(status, message, requestId) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.requestId = requestId;
  }
}

/**
 * Absolute URL of an API path with its query; undefined and empty values are left out.
 * @param {string} path e.g. `api/v1/symbols` (no leading slash: relative to the service root)
 * @param {Record<string, string | number | boolean | undefined | null>} [params]
 */
export function apiUrl(path, params = {}) {
  const url = new URL(path, SERVICE_ROOT);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  return url.toString();
}

/** `api/v1/asset/X%3ABTCUSD/...`: a ticker is one path segment. */
export function assetPath(symbol, what) {
  return `api/v1/asset/${encodeURIComponent(symbol)}/${what}`;
}

/**
 * GET a JSON resource.
 * @param {string} path
 * @param {Record<string, string | number | boolean | undefined | null>} [params]
 * @param {{ signal?: AbortSignal }} [options]
 */
export async function getJson(path, params, options = {}) {
  const response = await request(apiUrl(path, params), { signal: options.signal });
  return response.json();
}

/** GET as text (the CSV preview), with the response for its headers. */
export async function getText(path, params, options = {}) {
  const response = await request(apiUrl(path, params), { signal: options.signal });
  return { text: await response.text(), headers: response.headers };
}

/**
 * A write: POST/PUT/PATCH/DELETE with an optional JSON body; resolves with the parsed answer.
 * @param {'POST' | 'PUT' | 'PATCH' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body]
 */
export async function send(method, path, body) {
  const init = { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await request(apiUrl(path), init);
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

/** Sends with the tab's API key; on a refused key asks for one (up to twice) and tries again. */
async function request(url, init) {
  let key = apiKey();
  for (let attempt = 0; ; attempt++) {
    const headers = new Headers(init.headers);
    if (key !== undefined) headers.set('X-API-Key', key);
    const response = await fetch(url, { ...init, headers, credentials: 'same-origin' });
    if (response.ok) return response;
    const error = await errorOf(response);
    if (!isKeyRefusal(error) || attempt >= 2) throw error;
    key = await askForApiKey(error.message);
    if (key === undefined) throw error;
  }
}

function isKeyRefusal(error) {
  return (error.status === 401 || error.status === 403) && /api-key/i.test(error.message);
}

/** @param {Response} response */
async function errorOf(response) {
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const message = typeof body?.message === 'string' ? body.message : `${response.status} ${response.statusText || 'error'}`;
  return new ApiError(response.status, message, body?.requestId);
}

/** The message to show for anything a request threw. */
export function messageOf(error) {
  if (error instanceof ApiError) return error.status >= 500 ? `${error.message} (request ${error.requestId ?? 'unknown'})` : error.message;
  if (error instanceof TypeError) return 'The API could not be reached; is the service running?';
  return error instanceof Error ? error.message : String(error);
}

export const isAbort = (error) => error instanceof DOMException && error.name === 'AbortError';
