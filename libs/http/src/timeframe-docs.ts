import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsString } from 'class-validator';
import { TIMEFRAME_VALUES } from '@app/core';
import { DOC_PLACEHOLDERS } from './api-docs';

/** A timeframe list in a request body: non-empty, no repeats (which ones are allowed is checked against config). */
export function TimeframeList(): PropertyDecorator {
  return applyDecorators(
    IsArray({ message: 'must be an array of timeframes' }),
    ArrayNotEmpty({ message: 'must list at least one timeframe' }),
    IsString({ each: true, message: 'must hold only strings' }),
    ArrayUnique({ message: (args) => `must not list a timeframe twice; repeated: ${repeated(args.value).join(', ')}` }),
  );
}

function repeated(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i).map(String))];
}

/** A timeframe query parameter documented with the configured list. */
export function TimeframeQueryDoc(description: string, example = '1m'): PropertyDecorator {
  return ApiProperty({
    required: false,
    enum: [...TIMEFRAME_VALUES],
    example,
    description: `${description}. ${DOC_PLACEHOLDERS.supportedTimeframes}.`,
  });
}
