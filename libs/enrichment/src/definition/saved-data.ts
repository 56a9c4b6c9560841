import type { JsonValue } from '../json-value';

/** A saved state that this code cannot continue from: another indicator's, another version's, or damaged. */
export class IncompatibleIndicatorStateError extends Error {}

type JsonRecord = { readonly [key: string]: JsonValue };

/** Reads a kernel's snapshot back, refusing anything that is not the shape the kernel writes. */
export class SavedData {
  private constructor(
    private readonly record: JsonRecord,
    private readonly what: string,
  ) {}

  static of(data: JsonValue | undefined, what: string): SavedData {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new IncompatibleIndicatorStateError(`${what}: saved state is not an object`);
    }
    return new SavedData(data as JsonRecord, what);
  }

  /** The saved data, or undefined for a fresh start. */
  static optional(data: JsonValue | undefined, what: string): SavedData | undefined {
    return data === undefined ? undefined : SavedData.of(data, what);
  }

  number(key: string): number {
    const value = this.record[key];
    if (typeof value !== 'number') throw this.wrong(key, 'a number');
    return value;
  }

  numberOrNull(key: string): number | null {
    const value = this.record[key];
    if (value !== null && typeof value !== 'number') throw this.wrong(key, 'a number or null');
    return value;
  }

  numbers(key: string, maxLength: number): readonly number[] {
    const value = this.record[key];
    if (!Array.isArray(value) || value.length > maxLength || !value.every((item): item is number => typeof item === 'number')) {
      throw this.wrong(key, `a list of at most ${maxLength} numbers`);
    }
    return value;
  }

  child(key: string): SavedData {
    return SavedData.of(this.record[key], `${this.what}.${key}`);
  }

  private wrong(key: string, expected: string): IncompatibleIndicatorStateError {
    return new IncompatibleIndicatorStateError(`${this.what}: saved "${key}" is not ${expected}`);
  }
}
