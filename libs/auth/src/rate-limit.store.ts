/** The outcome of counting one request against a client's budget. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests the client may still send right now. */
  remaining: number;
  /** When refused: how long until one more request fits. */
  retryAfterMs: number;
}

/** Counts requests per client; in memory for one instance, in Redis to share the budget between instances. */
export interface RateLimitStore {
  hit(clientId: string, limitPerMinute: number): Promise<RateLimitDecision>;
}

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

export const WINDOW_MS = 60_000;

/**
 * GCRA (a token bucket kept as one timestamp): each request pushes the client's
 * "theoretical arrival time" on by 60 s / limit; a request is refused when that would
 * run more than a minute ahead of now. So a client gets `limit` requests at once and
 * then one per 60 s / limit, with no window edges that let a double burst through.
 */
export function gcra(storedTat: number | undefined, now: number, limitPerMinute: number): { decision: RateLimitDecision; tat?: number } {
  const interval = WINDOW_MS / limitPerMinute;
  const tat = Math.max(storedTat ?? now, now) + interval;
  const ahead = tat - now;
  if (ahead > WINDOW_MS) return { decision: { allowed: false, remaining: 0, retryAfterMs: ahead - WINDOW_MS } };
  return { decision: { allowed: true, remaining: Math.floor((WINDOW_MS - ahead) / interval), retryAfterMs: 0 }, tat };
}
