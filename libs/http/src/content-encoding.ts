import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import Negotiator from 'negotiator';

export type ContentEncoding = 'br' | 'gzip' | 'identity';

/** Bodies smaller than this go uncompressed: the saving would not pay for the work. */
const MIN_COMPRESSED_BYTES = 1024;
const OFFERED: ContentEncoding[] = ['br', 'gzip', 'identity'];

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** The coding to send a body of `bytes` in, from the client's Accept-Encoding (q-values honoured). */
export function negotiateEncoding(acceptEncoding: string | undefined, bytes: number): ContentEncoding {
  if (!acceptEncoding || bytes < MIN_COMPRESSED_BYTES) return 'identity';
  const chosen = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }).encoding(OFFERED);
  return (chosen as ContentEncoding | undefined) ?? 'identity';
}

/** Every coding the client takes, best first (identity unless it refused it). */
export function acceptedEncodings(acceptEncoding: string | undefined): ContentEncoding[] {
  if (!acceptEncoding) return ['identity'];
  return new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }).encodings(OFFERED) as ContentEncoding[];
}

/**
 * Compressed off the event loop (zlib's thread pool). Brotli at quality 5 and gzip at level 6:
 * within a few percent of their best ratio on JSON bars at a fraction of the time.
 */
export function compress(body: Buffer, encoding: Exclude<ContentEncoding, 'identity'>): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipped(body, { level: 6 });
}
