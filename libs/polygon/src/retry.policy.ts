/** Exponential backoff with "equal jitter": half fixed, half random, so clients that failed together do not retry together. */
export function backoffDelayMs(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable.
 * Capped, so a broken header cannot stall ingestion for hours.
 */
export function retryAfterMs(header: string | undefined, capMs: number, now: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const value = header.trim();
  let delay: number;
  if (/^\d+(\.\d+)?$/.test(value)) delay = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    delay = at - now;
  }
  return Math.min(capMs, Math.max(0, Math.round(delay)));
}
