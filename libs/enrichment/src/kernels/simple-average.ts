import type { JsonValue } from '../json-value';
import { SavedData } from '../definition/saved-data';
import { RingWindow } from './ring-window';

/**
 * The mean of the last `period` values, its sum taken afresh over the window on every value
 * (oldest first, from 0.0). TA-Lib keeps a running sum instead, whose rounding carries every
 * past value along; summing afresh makes a value depend only on its window, so a revised bar
 * changes exactly the next `period` values and replaying a window reproduces them bit for bit.
 * It agrees with TA-Lib to about 1e-13 relative, at O(period) a value.
 */
export class SimpleAverage {
  /** `window` holds the values the last mean was taken over. */
  private constructor(readonly window: RingWindow) {}

  static start(period: number, saved?: SavedData): SimpleAverage {
    return new SimpleAverage(new RingWindow(period, saved?.numbers('window', period)));
  }

  /** Adds a value; the mean once `period` values are in, else NaN. */
  add(value: number): number {
    this.window.push(value);
    return this.window.isFull ? this.window.sum() / this.window.capacity : NaN;
  }

  snapshot(): JsonValue {
    return { window: this.window.toArray() };
  }
}
