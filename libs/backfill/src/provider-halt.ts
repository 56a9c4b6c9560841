import { Injectable, Logger } from '@nestjs/common';

export interface HaltSnapshot {
  reason: string;
  since: string;
}

/**
 * A key the provider refuses is refused for every symbol: the first "not authorized"
 * stops all jobs of this instance, with one clear error line, instead of a retry storm.
 * Cleared by an explicit request (POST .../backfill, the CLI) or a restart with a new key.
 */
@Injectable()
export class ProviderHalt {
  private readonly logger = new Logger(ProviderHalt.name);
  private halt?: HaltSnapshot;
  private readonly listeners: (() => void)[] = [];

  /** `listener` runs once per trip (the job queue stops everything it runs). */
  onTrip(listener: () => void): void {
    this.listeners.push(listener);
  }

  get active(): boolean {
    return this.halt !== undefined;
  }

  snapshot(): HaltSnapshot | undefined {
    return this.halt ? { ...this.halt } : undefined;
  }

  trip(providerMessage: string, at: number): void {
    if (this.halt) return;
    this.halt = { reason: providerMessage, since: new Date(at).toISOString() };
    this.logger.error(
      `backfill and refresh stopped: ${providerMessage}. No more requests go out; check POLYGON_API_KEY (and the plan's entitlements) and restart, or retry with POST /api/v1/symbol/{symbol}/backfill`,
    );
    for (const listener of this.listeners) listener();
  }

  clear(): void {
    if (!this.halt) return;
    this.logger.log('provider halt cleared by an explicit backfill request');
    this.halt = undefined;
  }
}
