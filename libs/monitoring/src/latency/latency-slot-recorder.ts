export type LatencySeries = 'route' | 'timeframe';

/** Width of one slot: the granularity of the windows and of what one flush writes. */
export const SLOT_MS = 10_000;

/** One (slot, series, key) histogram as written to latency_slots: absolute values, counts per bucket with +Inf last. */
export interface LatencySlotRow {
  slotStart: number;
  series: LatencySeries;
  key: string;
  counts: number[];
  totalSeconds: number;
}

interface KeyHistogram {
  counts: number[];
  totalSeconds: number;
}

class Slot {
  readonly keys: Record<LatencySeries, Map<string, KeyHistogram>> = { route: new Map(), timeframe: new Map() };
  observations = 0;
  /** `observations` as of the last successful write. */
  written = 0;

  constructor(readonly start: number) {}
}

/**
 * This instance's latency histograms in memory, per 10-second slot, until they are written.
 * observe() is the per-request path: a slot look-up (usually the current one), a map get and
 * a scan of the 14 bucket edges.
 */
export class LatencySlotRecorder {
  private readonly slots = new Map<number, Slot>();
  private current?: Slot;

  constructor(private readonly edges: readonly number[]) {}

  observe(series: LatencySeries, key: string, seconds: number, now: number): void {
    const start = now - (now % SLOT_MS);
    const slot = this.current?.start === start ? this.current : this.slotAt(start);
    const byKey = slot.keys[series];
    let histogram = byKey.get(key);
    if (!histogram) {
      histogram = { counts: new Array<number>(this.edges.length + 1).fill(0), totalSeconds: 0 };
      byKey.set(key, histogram);
    }
    histogram.counts[this.bucketOf(seconds)]++;
    histogram.totalSeconds += seconds;
    slot.observations++;
  }

  /** Every slot changed since its last write, as rows, and the call that marks exactly those values written. */
  unwritten(): { rows: LatencySlotRow[]; markWritten: () => void } {
    const rows: LatencySlotRow[] = [];
    const seen: [Slot, number][] = [];
    for (const slot of this.slots.values()) {
      if (slot.observations === slot.written) continue;
      seen.push([slot, slot.observations]);
      for (const series of ['route', 'timeframe'] as const) {
        for (const [key, histogram] of slot.keys[series]) {
          rows.push({ slotStart: slot.start, series, key, counts: [...histogram.counts], totalSeconds: histogram.totalSeconds });
        }
      }
    }
    return { rows, markWritten: () => seen.forEach(([slot, observations]) => (slot.written = observations)) };
  }

  /** Drops closed slots whose latest values are written, and any slot older than `maxAgeMs` written or not (bounded memory). */
  forget(now: number, maxAgeMs: number): void {
    for (const [start, slot] of this.slots) {
      const closed = start + SLOT_MS <= now;
      if ((closed && slot.written === slot.observations) || start < now - maxAgeMs) this.slots.delete(start);
    }
    if (this.current && !this.slots.has(this.current.start)) this.current = undefined;
  }

  private slotAt(start: number): Slot {
    let slot = this.slots.get(start);
    if (!slot) {
      slot = new Slot(start);
      this.slots.set(start, slot);
    }
    this.current = slot;
    return slot;
  }

  /** Prometheus' `le` semantics: the first bucket whose upper edge is >= seconds, else +Inf. */
  private bucketOf(seconds: number): number {
    const edges = this.edges;
    let i = 0;
    while (i < edges.length && seconds > edges[i]) i++;
    return i;
  }
}
