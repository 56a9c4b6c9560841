/**
 * The last `capacity` numbers of a stream, and the sums over them, oldest first. Each value is
 * stored twice, at its slot and `capacity` slots on, so the window is always one contiguous run
 * of a Float64Array: pushing is O(1) and reading the window needs no modulo, copy or allocation.
 * Sums run oldest to newest from 0.0: the order of the additions is part of the result.
 */
export class RingWindow {
  private readonly slots: Float64Array;
  private oldest = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    saved: readonly number[] = [],
  ) {
    this.slots = new Float64Array(2 * capacity);
    for (const value of saved.slice(-capacity)) this.push(value);
  }

  get size(): number {
    return this.count;
  }

  get isFull(): boolean {
    return this.count === this.capacity;
  }

  /** Appends a value, dropping the oldest once the window is full. */
  push(value: number): void {
    if (this.count < this.capacity) {
      this.slots[this.count] = value;
      this.slots[this.count + this.capacity] = value;
      this.count += 1;
      return;
    }
    this.slots[this.oldest] = value;
    this.slots[this.oldest + this.capacity] = value;
    this.oldest = (this.oldest + 1) % this.capacity;
  }

  sum(): number {
    let total = 0;
    for (let i = this.oldest, end = this.oldest + this.count; i < end; i++) total += this.slots[i];
    return total;
  }

  /** Values weighted 1 (oldest) .. size (newest). */
  weightedSum(): number {
    let total = 0;
    for (let i = 0; i < this.count; i++) total += this.slots[this.oldest + i] * (i + 1);
    return total;
  }

  /** Sum of (value - mean)^2. */
  squaredDeviationSum(mean: number): number {
    let total = 0;
    for (let i = this.oldest, end = this.oldest + this.count; i < end; i++) {
      const deviation = this.slots[i] - mean;
      total += deviation * deviation;
    }
    return total;
  }

  max(): number {
    let highest = -Infinity;
    for (let i = this.oldest, end = this.oldest + this.count; i < end; i++) if (this.slots[i] > highest) highest = this.slots[i];
    return highest;
  }

  min(): number {
    let lowest = Infinity;
    for (let i = this.oldest, end = this.oldest + this.count; i < end; i++) if (this.slots[i] < lowest) lowest = this.slots[i];
    return lowest;
  }

  toArray(): number[] {
    return Array.from(this.slots.subarray(this.oldest, this.oldest + this.count));
  }
}
