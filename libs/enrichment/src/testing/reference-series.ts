import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One row of a published reference series: the input and the value as printed (null before the warm-up). */
export interface ReferenceRow {
  readonly input: number;
  readonly expected: string | null;
}

/** A reference series from test-fixtures/ (columns `Input,Expected`; see its README for sources). */
export function referenceSeries(file: string): ReferenceRow[] {
  const [header, ...lines] = readFileSync(join(__dirname, '../../test-fixtures', file), 'utf8')
    .trim()
    .split('\n');
  if (header.trim() !== 'Input,Expected') throw new Error(`${file}: unexpected header "${header}"`);
  return lines.map((line) => {
    const [input, expected] = line.trim().split(',');
    return { input: Number(input), expected: expected === '' ? null : expected };
  });
}

/** Decimals printed in a value such as `22.22475` (5). */
export function printedDecimals(text: string): number {
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}
