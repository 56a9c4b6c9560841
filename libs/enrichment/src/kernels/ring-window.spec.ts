import { RingWindow } from './ring-window';

describe('RingWindow', () => {
  it('keeps the last capacity values, oldest first, across wrap-arounds', () => {
    const window = new RingWindow(3);
    [1, 2].forEach((value) => window.push(value));
    expect([window.isFull, window.toArray()]).toEqual([false, [1, 2]]);
    [3, 4, 5, 6, 7].forEach((value) => window.push(value));
    expect([window.isFull, window.toArray(), window.min(), window.max(), window.sum()]).toEqual([true, [5, 6, 7], 5, 7, 18]);
  });

  it('sums oldest to newest, so the rounding matches a fresh sum of the window', () => {
    const window = new RingWindow(3, [0.1, 0.2]);
    window.push(0.3);
    window.push(0.4);
    expect(window.sum()).toBe(0.2 + 0.3 + 0.4);
  });

  it('restores from a saved list, keeping only the newest capacity values', () => {
    expect(new RingWindow(2, [1, 2, 3]).toArray()).toEqual([2, 3]);
  });
});
