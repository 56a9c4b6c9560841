/**
 * Runs `task` every `intervalMs` while started and the tab is visible; the next run is scheduled
 * after the previous one settles, so a slow answer never piles requests up.
 */
export class Poller {
  /** @param {() => Promise<void>} task @param {number} intervalMs */
  constructor(task, intervalMs) {
    this.task = task;
    this.intervalMs = intervalMs;
    /** @type {number | undefined} */
    this.timer = undefined;
    this.running = false;
    this.started = false;
    document.addEventListener('visibilitychange', () => {
      if (this.started && !document.hidden) this.now();
    });
  }

  start() {
    this.started = true;
    this.schedule();
  }

  stop() {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs the task at once (then keeps the cadence). */
  now() {
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.run();
  }

  schedule() {
    clearTimeout(this.timer);
    if (this.started) this.timer = window.setTimeout(() => void this.run(), this.intervalMs);
  }

  async run() {
    if (this.running) return;
    if (document.hidden) return this.schedule();
    this.running = true;
    try {
      await this.task();
    } catch (error) {
      console.warn('dashboard: a refresh failed', error);
    } finally {
      this.running = false;
      this.schedule();
    }
  }
}
