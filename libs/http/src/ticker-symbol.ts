import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

/**
 * The provider's ticker forms: stocks (AAPL, BRK.B), crypto X:BTCUSD, forex C:EURUSD,
 * indices I:SPX. Compared after normalising, so `aapl` and `x:btcusd` are accepted.
 */
export const TICKER_PATTERN = /^(?:[A-Z][A-Z0-9]{0,9}(?:\.[A-Z0-9]{1,4})?|X:[A-Z0-9]{4,20}|C:[A-Z]{6}|I:[A-Z0-9._-]{1,20})$/;

export const TICKER_FORMS = 'a ticker like AAPL, BRK.B, X:BTCUSD (crypto), C:EURUSD (forex) or I:SPX (index)';

/** `aapl ` -> `AAPL`; anything that is not a string is left for the validator to reject. */
export function normaliseSymbol(value: unknown): unknown {
  return typeof value === 'string' ? value.trim().toUpperCase() : value;
}

/** A symbol field or path parameter: normalised, then checked against the ticker forms. */
export function TickerSymbol(description = 'Ticker; case-insensitive'): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description: `${description}. Stocks AAPL, BRK.B; crypto X:BTCUSD; forex C:EURUSD; indices I:SPX`, example: 'AAPL' }),
    Transform(({ value }) => normaliseSymbol(value)),
    IsString(),
    Matches(TICKER_PATTERN, { message: (args) => `must be ${TICKER_FORMS}, got ${JSON.stringify(args.value)}` }),
  );
}

/** Path parameters of routes about one symbol. */
export class SymbolParams {
  @TickerSymbol()
  symbol!: string;
}
