import { createHash } from 'node:crypto';
import { extname } from 'node:path';

/** One file the dashboard serves: its bytes, type and tag, read once. */
export interface StaticAsset {
  /** Path under /dashboard/, e.g. `js/main.js`. */
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** Strong tag of the identity bytes (quotes included); a coding adds its suffix. */
  readonly etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** Extensions the dashboard serves; anything else under the folder (type declarations, notes) stays private. */
export function isServable(path: string): boolean {
  return extname(path) in CONTENT_TYPES;
}

export function staticAsset(path: string, body: Buffer): StaticAsset {
  const type = CONTENT_TYPES[extname(path)];
  if (type === undefined) throw new Error(`dashboard: no content type for ${path}`);
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { path, contentType: type, body, etag: `"${digest}"` };
}
