/**
 * Every bar loaded for the view (ascending, by time) and the slice of them the chart draws.
 * lightweight-charts redraws a series in time proportional to its length (setData has no
 * prepend), so the chart holds at most MAX_DRAWN bars: a year of 1m stays in memory here, and
 * the drawn slice slides over it as the person scrolls, keeping every redraw short.
 */

const MAX_DRAWN = 6_000;
/** How far past the edge the slice moves when the view reaches it. */
export const SLIDE_MARGIN = 2_000;

export class LoadedBars {
  constructor() {
    /** @type {import('./candle-feed.js').Bar[]} */
    this.bars = [];
    /** @type {Map<number, import('./candle-feed.js').Bar>} */
    this.byTime = new Map();
    /** The drawn slice: bars[from, to). */
    this.from = 0;
    this.to = 0;
  }

  get length() {
    return this.bars.length;
  }

  get first() {
    return this.bars[0];
  }

  get last() {
    return this.bars[this.bars.length - 1];
  }

  /** The drawn bars (a copy: take it once per redraw). */
  get drawn() {
    return this.bars.slice(this.from, this.to);
  }

  get drawnFirst() {
    return this.bars[this.from];
  }

  get drawnCount() {
    return this.to - this.from;
  }

  /** The newest loaded bar is drawn (so live updates go to the chart). */
  get atNewest() {
    return this.to === this.bars.length;
  }

  /** Starts over with `bars`, drawing the newest of them. */
  reset(bars) {
    this.bars = [...bars].sort((a, b) => a.time - b.time);
    this.byTime = new Map(this.bars.map((bar) => [bar.time, bar]));
    this.to = this.bars.length;
    this.from = Math.max(0, this.to - MAX_DRAWN);
  }

  /** Puts older bars in front (the drawn slice keeps the same bars); returns the ones that were new. */
  prepend(older) {
    const oldest = this.first;
    // Ascending and all before the oldest loaded bar, as the feed reads them; anything else is dropped.
    const fresh = oldest === undefined ? older : older.filter((bar) => bar.time < oldest.time);
    for (const bar of fresh) this.byTime.set(bar.time, bar);
    this.bars = fresh.concat(this.bars);
    this.from += fresh.length;
    this.to += fresh.length;
    return fresh;
  }

  /**
   * The newest bars again (polling): a changed bar replaces its old self, newer ones are appended.
   * Returns the bars that changed or arrived, oldest first.
   */
  merge(incoming) {
    const wasAtNewest = this.atNewest;
    const changed = [];
    for (const bar of incoming) {
      const known = this.byTime.get(bar.time);
      if (known) {
        if (sameBar(known, bar)) continue;
        this.bars[this.bars.lastIndexOf(known)] = bar;
      } else if (this.last === undefined || bar.time > this.last.time) {
        this.bars.push(bar);
      } else continue;
      this.byTime.set(bar.time, bar);
      changed.push(bar);
    }
    if (wasAtNewest) this.to = this.bars.length;
    return changed;
  }

  /**
   * Moves the drawn slice to start at `from` (kept within the loaded bars). `shift`: how far the
   * drawn bars moved right (add it to the visible logical range to keep the view in place);
   * `moved`: whether the slice changed at all (then the chart redraws).
   */
  slideTo(from) {
    const start = Math.max(0, Math.min(Math.floor(from), this.bars.length - MAX_DRAWN));
    const end = Math.min(this.bars.length, start + MAX_DRAWN);
    const shift = this.from - start;
    const moved = start !== this.from || end !== this.to;
    this.from = start;
    this.to = end;
    return { shift, moved };
  }
}

function sameBar(a, b) {
  return (
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume &&
    a.isComplete === b.isComplete
  );
}
