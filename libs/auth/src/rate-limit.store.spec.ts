import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { gcra } from './rate-limit.store';

describe('GCRA rate limit', () => {
  it('allows `limit` requests at once, then one per 60 s / limit', async () => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore(() => now);
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await store.hit('c', 5));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[5].retryAfterMs).toBe(12_000);
    now += 11_999;
    expect((await store.hit('c', 5)).allowed).toBe(false);
    now += 1;
    expect(await store.hit('c', 5)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect((await store.hit('other', 5)).remaining).toBe(4);
    store.onModuleDestroy();
  });

  it('refills completely after a quiet minute, and never banks more than the limit', () => {
    const first = gcra(undefined, 0, 10);
    expect(first.decision.remaining).toBe(9);
    const afterAnHour = gcra(first.tat, 3_600_000, 10);
    expect(afterAnHour.decision).toEqual({ allowed: true, remaining: 9, retryAfterMs: 0 });
  });

  it('does not count refused requests against the budget', () => {
    let tat: number | undefined;
    for (let i = 0; i < 2; i++) tat = gcra(tat, 0, 2).tat ?? tat;
    const refused = gcra(tat, 0, 2);
    expect(refused.decision.allowed).toBe(false);
    expect(refused.tat).toBeUndefined();
    expect(gcra(tat, 30_000, 2).decision.allowed).toBe(true);
  });
});
