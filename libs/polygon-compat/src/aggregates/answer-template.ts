/**
 * Answers are cached as bytes, but two parts differ per request: its request_id, and the base of
 * next_url (the host the client reached). Slots mark them in the cached body; they are filled in
 * as the body is written, from the end, where both sit, so a 5 MB page is not copied or scanned.
 */
export const REQUEST_ID_SLOT = '@@request_id@@';
export const BASE_URL_SLOT = '@@base_url@@';

/** Both slots sit after `results`, within this many bytes of the end (the next_url path is short). */
const TAIL_BYTES = 4096;

/**
 * The body as chunks to write, slots filled (values are JSON-safe: request ids and URL bases).
 * `baseUrl` is asked for only when the body has a next_url.
 */
export function fillSlots(template: Buffer, requestId: string, baseUrl: () => string): Buffer[] {
  const tailStart = Math.max(0, template.length - TAIL_BYTES);
  const tail: Buffer[] = [];
  let end = template.length;
  for (const [slot, value] of [
    [BASE_URL_SLOT, baseUrl],
    [REQUEST_ID_SLOT, () => requestId],
  ] as const) {
    const at = template.lastIndexOf(slot, end - 1);
    if (at < tailStart) continue;
    tail.unshift(Buffer.from(value()), template.subarray(at + slot.length, end));
    end = at;
  }
  return [template.subarray(0, end), ...tail];
}
