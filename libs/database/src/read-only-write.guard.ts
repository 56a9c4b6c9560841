import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ReadOnlyDatabaseError } from '@app/core';
import { isClientWrite } from './client-write';
import { DatabaseService } from './database.service';

/**
 * Refuses every change under /api/ with a 503 that says where writes go, while this instance's
 * only database is read-only. Before the route runs, so nothing half-happens and nothing answers 500.
 */
@Injectable()
export class ReadOnlyWriteGuard implements CanActivate {
  constructor(private readonly database: DatabaseService) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.database.isReadOnly || !isClientWrite(context)) return true;
    throw new ReadOnlyDatabaseError(this.database.readOnlyReason);
  }
}
