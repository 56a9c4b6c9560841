import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';

/** ISO-8601 date or date-time; an offset-less time is UTC. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;
const UNIX_MS = /^\d{1,15}$/;

export const INSTANT_FORMATS = 'an ISO-8601 date or date-time (UTC unless an offset is given) or Unix milliseconds';

/** Parses an ISO-8601 date/date-time or Unix milliseconds; undefined when malformed or impossible (2024-02-30). */
export function parseInstant(input: string): number | undefined {
  const text = input.trim();
  if (UNIX_MS.test(text)) return Number(text);
  const match = ISO_8601.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number);
  const [y, mo, d, h, mi, s] = fields;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(local);
  // Date.UTC rolls 2024-02-30 over to March; a changed field means the input was impossible.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const offset = offsetMs(zone);
  if (offset === undefined) return undefined;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3)); // sub-millisecond digits are dropped
  return local + millis - offset;
}

function offsetMs(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/** Property is a string that parseInstant accepts. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: (args: ValidationArguments) => `must be ${INSTANT_FORMATS}, got ${JSON.stringify(args.value)}`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== undefined,
      },
    });
}

/** An ISO-8601 string or Unix milliseconds (string or, in JSON bodies, number). */
export function IsInstantInput(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isInstantInput',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: (args: ValidationArguments) => `must be ${INSTANT_FORMATS}, got ${JSON.stringify(args.value)}`, ...options },
      validator: { validate: (value: unknown) => instantOf(value) !== undefined },
    });
}

/** Unix ms of a value IsInstantInput accepted; undefined when absent or malformed. */
export function instantOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string') return parseInstant(value);
  return undefined;
}
