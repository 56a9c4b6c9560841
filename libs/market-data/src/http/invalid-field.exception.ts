import { BadRequestException } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * A 400 for input that passed the DTO but fails a rule that needs configuration or
 * other fields (page size limit, start before end, a cursor from another query). The
 * global exception filter copies `details` into the error body, like DTO failures.
 */
export class InvalidFieldException extends BadRequestException {
  constructor(field: string, reason: string) {
    const details: FieldProblem[] = [{ field, reason }];
    super({ message: `${field}: ${reason}`, details });
  }
}
