import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { TIMEFRAME_VALUES } from '@app/config';
import { TICKER_PATTERN, normaliseSymbol, parseInstant } from '@app/market-data';
import type { ApiErrorExample } from '@app/market-data';

/** Filled in from the running configuration by applySettingsToApiDocs (see @app/market-data). */
export const SUPPORTED_TIMEFRAMES_DOC = '{{supportedTimeframes}}';
export const ALLOWED_TIMEFRAME_LIST_DOC = '{{allowedTimeframeList}}';

const TICKER_FORMS = 'a ticker like AAPL, BRK.B, X:BTCUSD (crypto), C:EURUSD (forex) or I:SPX (index)';
export const INSTANT_FORMATS = 'an ISO-8601 date or date-time (UTC unless an offset is given) or Unix milliseconds';

/** Path parameters of routes about one symbol: normalised (`aapl` -> `AAPL`), then checked against the ticker forms. */
export class SymbolPathParams {
  @ApiProperty({ description: 'Ticker; case-insensitive. Stocks AAPL, BRK.B; crypto X:BTCUSD; forex C:EURUSD; indices I:SPX', example: 'AAPL' })
  @Transform(({ value }) => normaliseSymbol(value))
  @IsString()
  @Matches(TICKER_PATTERN, { message: (args) => `must be ${TICKER_FORMS}, got ${JSON.stringify(args.value)}` })
  symbol!: string;
}

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

export const API_KEY_ERRORS_FOR_WRITES: ApiErrorExample[] = [
  { status: 401, description: 'API keys are configured and X-API-Key is missing', message: 'X-API-Key header is required for this route' },
  { status: 403, description: 'X-API-Key does not match any configured key', message: 'X-API-Key is not valid' },
];

export const API_KEY_ERRORS_FOR_READS: ApiErrorExample[] = API_KEY_ERRORS_FOR_WRITES.map((e) => ({
  ...e,
  description: `${e.description} (only when API_KEYS_FOR_READS is on)`,
}));

export const RATE_LIMITED: ApiErrorExample = {
  status: 429,
  description: 'Too many requests from this client (API key or IP); wait Retry-After seconds',
  message: 'Rate limit of 600 requests per minute exceeded; retry in 1 s',
};

export const DATABASE_DOWN: ApiErrorExample = {
  status: 503,
  description: 'The database is not reachable',
  message: 'Database unavailable: the database is not reachable yet',
};

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
