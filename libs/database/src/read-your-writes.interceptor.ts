import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Observable, catchError, concatMap } from 'rxjs';
import { isClientWrite } from './client-write';
import { DatabaseService } from './database.service';

/**
 * After every change a client asks of this instance under /api/ (tracking a symbol, a purge, a
 * backfill request), and before the answer leaves: fence reads at the primary's WAL position, so
 * the client's next reads through this instance never come from a replica that has not replayed
 * the change yet. Writes made later in the background (backfill jobs) are not fenced: their bars
 * reach replicas within REPLICA_MAX_LAG_SECONDS. No replicas: nothing to do.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly database: DatabaseService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!isClientWrite(context)) return next.handle();
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await this.database.fenceReads();
        return value;
      }),
      // A write that failed half way may still have changed something.
      catchError(async (error: unknown) => {
        await this.database.fenceReads();
        throw error;
      }),
    );
  }
}
