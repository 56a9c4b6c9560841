import type { IndicatorBar } from '../indicator-bar';
import type { SessionKey } from '../session';

/**
 * Textbook implementations over whole arrays, written without the library's building blocks,
 * to check the streaming code on real bars (to a tolerance: the operation order differs).
 */
type Series = (number | null)[];

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

export function referenceSma(closes: readonly number[], n: number): Series {
  return closes.map((_, i) => (i < n - 1 ? null : mean(closes.slice(i - n + 1, i + 1))));
}

/** EMA seeded with the SMA of the `n` values ending at `seedIndex` (n - 1 unless told). */
export function referenceEma(values: readonly number[], n: number, seedIndex = n - 1): Series {
  const k = 2 / (n + 1);
  const out: Series = values.map(() => null);
  let ema = mean(values.slice(seedIndex - n + 1, seedIndex + 1));
  out[seedIndex] = ema;
  for (let i = seedIndex + 1; i < values.length; i++) {
    ema = values[i] * k + ema * (1 - k);
    out[i] = ema;
  }
  return out;
}

export function referenceWma(closes: readonly number[], n: number): Series {
  const weights = Array.from({ length: n }, (_, i) => i + 1);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  return closes.map((_, i) => (i < n - 1 ? null : weights.reduce((sum, w, j) => sum + w * closes[i - n + 1 + j], 0) / totalWeight));
}

export function referenceRsi(closes: readonly number[], n: number): Series {
  const changes = closes.slice(1).map((close, i) => close - closes[i]);
  const out: Series = closes.map(() => null);
  let gain = mean(changes.slice(0, n).map((c) => Math.max(c, 0)));
  let loss = mean(changes.slice(0, n).map((c) => Math.max(-c, 0)));
  const rsi = () => (gain + loss === 0 ? 0 : 100 - 100 / (1 + gain / loss));
  out[n] = rsi();
  for (let i = n; i < changes.length; i++) {
    gain = (gain * (n - 1) + Math.max(changes[i], 0)) / n;
    loss = (loss * (n - 1) + Math.max(-changes[i], 0)) / n;
    out[i + 1] = rsi();
  }
  return out;
}

export function referenceMacd(
  closes: readonly number[],
  fast: number,
  slow: number,
  signal: number,
): { macd: Series; signal: Series; histogram: Series } {
  const fastEma = referenceEma(closes, fast, slow - 1);
  const slowEma = referenceEma(closes, slow);
  const line = closes.map((_, i) => (i < slow - 1 ? null : (fastEma[i] as number) - (slowEma[i] as number)));
  const lineValues = line.slice(slow - 1) as number[];
  const signalLine = [...line.slice(0, slow - 1).map(() => null), ...referenceEma(lineValues, signal)];
  const histogram = line.map((value, i) => (signalLine[i] === null ? null : (value as number) - signalLine[i]));
  return { macd: line, signal: signalLine, histogram };
}

export function referenceBollinger(closes: readonly number[], n: number, k: number): { upper: Series; middle: Series; lower: Series } {
  const middle = referenceSma(closes, n);
  const deviation = closes.map((_, i) => {
    if (i < n - 1) return null;
    const window = closes.slice(i - n + 1, i + 1);
    const m = mean(window);
    return Math.sqrt(mean(window.map((x) => (x - m) ** 2)));
  });
  return {
    upper: middle.map((m, i) => (m === null ? null : m + k * (deviation[i] as number))),
    middle,
    lower: middle.map((m, i) => (m === null ? null : m - k * (deviation[i] as number))),
  };
}

export function referenceAtr(bars: readonly IndicatorBar[], n: number): Series {
  const ranges = bars.map((bar, i) =>
    i === 0 ? null : Math.max(bar.high - bar.low, Math.abs(bar.high - bars[i - 1].close), Math.abs(bar.low - bars[i - 1].close)),
  );
  const out: Series = bars.map(() => null);
  let atr = mean(ranges.slice(1, n + 1) as number[]);
  out[n] = atr;
  for (let i = n + 1; i < bars.length; i++) {
    atr = (atr * (n - 1) + (ranges[i] as number)) / n;
    out[i] = atr;
  }
  return out;
}

export function referenceStochastic(
  bars: readonly IndicatorBar[],
  kWindow: number,
  kSmoothing: number,
  dSmoothing: number,
): { k: Series; d: Series } {
  const fastK = bars.map((bar, i) => {
    if (i < kWindow - 1) return null;
    const window = bars.slice(i - kWindow + 1, i + 1);
    const highest = Math.max(...window.map((b) => b.high));
    const lowest = Math.min(...window.map((b) => b.low));
    return highest === lowest ? 0 : (100 * (bar.close - lowest)) / (highest - lowest);
  });
  const smooth = (series: Series, n: number): Series =>
    series.map((_, i) => {
      const window = series.slice(Math.max(0, i - n + 1), i + 1);
      return window.length < n || window.includes(null) ? null : mean(window as number[]);
    });
  const k = smooth(fastK, kSmoothing);
  return { k, d: smooth(k, dSmoothing) };
}

export function referenceObv(bars: readonly IndicatorBar[]): Series {
  let obv = 0;
  return bars.map((bar, i) => {
    const direction = i === 0 ? 1 : Math.sign(bar.close - bars[i - 1].close);
    obv += direction * bar.volume;
    return obv;
  });
}

export function referenceVwap(bars: readonly IndicatorBar[], sessionOf: SessionKey): Series {
  const sessions = bars.map((bar) => sessionOf(bar.time));
  return bars.map((_, i) => {
    let priceVolume = 0;
    let volume = 0;
    for (let j = i; j >= 0 && sessions[j] === sessions[i]; j--) {
      priceVolume += ((bars[j].high + bars[j].low + bars[j].close) / 3) * bars[j].volume;
      volume += bars[j].volume;
    }
    return volume === 0 ? null : priceVolume / volume;
  });
}
