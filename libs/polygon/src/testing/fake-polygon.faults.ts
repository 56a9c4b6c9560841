/**
 * What the fake server can do wrong, one request at a time:
 * - rate-limit: 429 with the provider's body (and Retry-After when the server sets one)
 * - server-error: 500 JSON; bad-gateway: 502 HTML, as a proxy sends it
 * - hang: accepts the request and never answers (the client's timeout must fire)
 * - reset: destroys the connection without an answer
 * - truncated-json: 200 with the first half of the real body
 * - garbage: 200 with an HTML page
 * - ohlc-violation: the real answer with one bar whose high is below its low
 * - not-authorized: 403 NOT_AUTHORIZED; not-found: 404
 * - cut: the first half of the real results, no next_url (a silently short answer)
 */
export const FAULT_KINDS = [
  'rate-limit',
  'server-error',
  'bad-gateway',
  'hang',
  'reset',
  'truncated-json',
  'garbage',
  'ohlc-violation',
  'not-authorized',
  'not-found',
  'cut',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface RandomFaults {
  /** Share of requests faulted, 0..1. */
  rate: number;
  kinds: readonly FaultKind[];
  /** Same seed, same sequence of faults. */
  seed?: number;
}

/** Faults queued for the next requests, in order, then optionally a seeded random share of the rest. */
export class FaultPlan {
  private readonly queue: (FaultKind | null)[] = [];
  private random?: { rate: number; kinds: readonly FaultKind[]; next: () => number };

  /** The next requests get these faults, one each; `null` lets one request through untouched. */
  enqueue(...kinds: (FaultKind | null)[]): void {
    this.queue.push(...kinds);
  }

  /** From now on a share of requests (after the queue) get a fault picked at random. */
  randomly(options: RandomFaults): void {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError('fault rate must be within 0..1');
    if (options.kinds.length === 0) throw new RangeError('name at least one fault kind');
    this.random = { rate: options.rate, kinds: [...options.kinds], next: seededRandom(options.seed ?? 1) };
  }

  clear(): void {
    this.queue.length = 0;
    this.random = undefined;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The fault for the request arriving now, if any. */
  take(): FaultKind | undefined {
    if (this.queue.length) return this.queue.shift() ?? undefined;
    if (!this.random) return undefined;
    const { rate, kinds, next } = this.random;
    if (next() >= rate) return undefined;
    return kinds[Math.floor(next() * kinds.length)];
  }
}

/** mulberry32: small, fast, deterministic. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
