import { crc32 } from 'node:zlib';

/** One serialised answer exactly as it is sent: the bytes and the headers that describe them. */
export interface CachedAnswer {
  body: Buffer;
  /** Headers that belong to the bytes (content type, encoding, source, next cursor...). */
  headers: Readonly<Record<string, string>>;
  /** Unix ms after which the answer must not be served. */
  expiresAt: number;
}

const MAGIC = Buffer.from('MDAC1');
/** MAGIC, crc32 of the rest, length of the metadata. */
const HEADER_BYTES = MAGIC.length + 8;

interface Metadata {
  key: string;
  headers: Record<string, string>;
  expiresAt: number;
}

/** The Redis form: a checked envelope, so a corrupt or foreign value is recognised, never served. */
export function encodeAnswer(key: string, answer: CachedAnswer): Buffer {
  const metadata = Buffer.from(JSON.stringify({ key, headers: answer.headers, expiresAt: answer.expiresAt } satisfies Metadata));
  const value = Buffer.allocUnsafe(HEADER_BYTES + metadata.length + answer.body.length);
  MAGIC.copy(value, 0);
  value.writeUInt32BE(metadata.length, MAGIC.length + 4);
  metadata.copy(value, HEADER_BYTES);
  answer.body.copy(value, HEADER_BYTES + metadata.length);
  value.writeUInt32BE(crc32(value.subarray(MAGIC.length + 4)), MAGIC.length);
  return value;
}

/** The answer stored under `key`, or undefined when the value is not one of ours for that key. */
export function decodeAnswer(key: string, value: Buffer): CachedAnswer | undefined {
  if (value.length < HEADER_BYTES || !value.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (value.readUInt32BE(MAGIC.length) !== crc32(value.subarray(MAGIC.length + 4))) return undefined;
  const metadataLength = value.readUInt32BE(MAGIC.length + 4);
  if (HEADER_BYTES + metadataLength > value.length) return undefined;
  let metadata: Metadata;
  try {
    metadata = JSON.parse(value.toString('utf8', HEADER_BYTES, HEADER_BYTES + metadataLength)) as Metadata;
  } catch {
    return undefined;
  }
  if (metadata.key !== key || typeof metadata.expiresAt !== 'number' || typeof metadata.headers !== 'object') return undefined;
  return { body: value.subarray(HEADER_BYTES + metadataLength), headers: metadata.headers, expiresAt: metadata.expiresAt };
}

/** What an answer costs the in-process tier. */
export function sizeOf(key: string, answer: CachedAnswer): number {
  let size = answer.body.length + key.length * 2 + 64;
  for (const name in answer.headers) size += (name.length + answer.headers[name].length) * 2;
  return size;
}
