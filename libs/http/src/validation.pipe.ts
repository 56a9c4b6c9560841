import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem } from './error-body';

/** Flattens nested class-validator errors into "field: reason" pairs. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason: reasonWithoutField(reason, error.property) }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** class-validator starts messages with the property name; we report the field separately. */
function reasonWithoutField(reason: string, property: string): string {
  return reason.startsWith(`${property} `) ? reason.slice(property.length + 1) : reason;
}

export class FieldValidationException extends BadRequestException {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
  }
}

/** Whitelisting, type conversion, and unknown fields rejected: a 400 names each field and why. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new FieldValidationException(fieldProblems(errors)),
  });
}
