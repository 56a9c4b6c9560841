import { OnModuleDestroy } from '@nestjs/common';
import { RateLimitDecision, RateLimitStore, gcra } from './rate-limit.store';

const SWEEP_EVERY_MS = 60_000;

/** Per-instance budgets; entries whose bucket has refilled are dropped by a periodic sweep. */
export class MemoryRateLimitStore implements RateLimitStore, OnModuleDestroy {
  private readonly arrivals = new Map<string, number>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  async hit(clientId: string, limitPerMinute: number): Promise<RateLimitDecision> {
    const { decision, tat } = gcra(this.arrivals.get(clientId), this.now(), limitPerMinute);
    if (tat !== undefined) this.arrivals.set(clientId, tat);
    return decision;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.now();
    for (const [client, tat] of this.arrivals) if (tat <= now) this.arrivals.delete(client);
  }
}
