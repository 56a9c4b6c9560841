/** Where the bar is drawn: a terminal (redrawn in place) or anything else (one line per update). */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

const WIDTH = 24;
/** Terminals are redrawn at most this often. */
const REDRAW_MS = 100;

/**
 * A one-line progress bar: on a TTY the line is rewritten with \r; elsewhere (a log, CI)
 * each update is its own plain line, so the output stays readable.
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly now: () => number = Date.now,
  ) {}

  /** `fraction` 0..1; `detail` follows the bar. */
  update(fraction: number, detail: string): void {
    const line = renderBar(fraction, detail);
    if (!this.sink.isTTY) {
      this.sink.write(`${line}\n`);
      return;
    }
    const at = this.now();
    if (this.drawn && at - this.lastDraw < REDRAW_MS && fraction < 1) return;
    this.lastDraw = at;
    this.drawn = true;
    this.sink.write(`\r\x1b[2K${line}`);
  }

  /** Ends the bar's line so what follows starts on a new one. */
  finish(): void {
    if (this.sink.isTTY && this.drawn) this.sink.write('\n');
    this.drawn = false;
  }
}

export function renderBar(fraction: number, detail: string): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * WIDTH);
  const percent = (Math.floor(clamped * 1000) / 10).toFixed(1).padStart(5);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${percent}%  ${detail}`;
}
