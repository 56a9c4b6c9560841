import type { ContentEncoding } from '@app/http';

/** The entity tag of one representation of an answer: the answer's key plus its content coding. */
export function entityTag(key: string, encoding: ContentEncoding): string {
  return encoding === 'identity' ? `"${key}"` : `"${key}.${encoding}"`;
}

/**
 * The tag from If-None-Match that still names a current representation the client can take
 * (RFC 9110 13.1.2: weak comparison, a list, or *), or undefined when the answer must be sent.
 */
export function matchingTag(ifNoneMatch: string | undefined, key: string, acceptable: readonly ContentEncoding[]): string | undefined {
  if (!ifNoneMatch) return undefined;
  const current = acceptable.map((encoding) => entityTag(key, encoding));
  for (const raw of ifNoneMatch.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag === '*') return current[0];
    if (current.includes(tag)) return tag;
  }
  return undefined;
}

/**
 * Answers of settled bars may be reused by clients and proxies for the rest of their TTL
 * (privately when reads need an API key); anything that may still change is revalidated.
 */
export function cacheControl(settled: boolean, remainingMs: number, keyedReads: boolean): string {
  if (!settled) return 'no-cache';
  return `${keyedReads ? 'private' : 'public'}, max-age=${Math.max(0, Math.floor(remainingMs / 1000))}`;
}
