import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { TIMEFRAME_VALUES } from '@app/config';
import { API_KEY_MISSING, API_KEY_WRONG, DOC_PLACEHOLDERS, INSTANT_FORMATS, parseInstant } from '@app/market-data';
import type { ApiErrorExample } from '@app/market-data';

// The REST layer's own field pieces, reused so both route families document and validate alike.
export { DATABASE_DOWN, INSTANT_FORMATS, RATE_LIMITED, SymbolParams as SymbolPathParams } from '@app/market-data';

/** Filled in from the running configuration by applySettingsToApiDocs (see @app/market-data). */
export const SUPPORTED_TIMEFRAMES_DOC = DOC_PLACEHOLDERS.supportedTimeframes;
export const ALLOWED_TIMEFRAME_LIST_DOC = DOC_PLACEHOLDERS.allowedTimeframeList;

/** Routes without query parameters still reject unknown ones (forbidNonWhitelisted needs a class). */
export class NoQueryParams {}

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

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export const API_KEY_ERRORS_FOR_WRITES: ApiErrorExample[] = [API_KEY_MISSING, API_KEY_WRONG];

export const API_KEY_ERRORS_FOR_READS: ApiErrorExample[] = API_KEY_ERRORS_FOR_WRITES.map((e) => ({
  ...e,
  description: `${e.description} (only when API_KEYS_FOR_READS is on)`,
}));

/** A timeframe query parameter documented with the configured list. */
export function TimeframeQueryDoc(description: string, example = '1m'): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      required: false,
      enum: [...TIMEFRAME_VALUES],
      example,
      description: `${description}. ${SUPPORTED_TIMEFRAMES_DOC}.`,
    }),
  );
}
