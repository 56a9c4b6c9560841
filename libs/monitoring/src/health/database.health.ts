import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseService } from '@app/database';

/** Database reachable, which engine, TimescaleDB or not, migrations applied, primary or read-only replica, and the read replicas. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly database: DatabaseService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('database');
    const status = await this.database.status();
    const details = {
      engine: status.engine ?? 'unknown',
      timescaledb: status.timescaledb,
      // Only when TimescaleDB is not used: why, and (when known) what to change on the server.
      ...(status.timescaledbReason ? { timescaledbReason: status.timescaledbReason } : {}),
      ...(status.timescaledbFix ? { timescaledbFix: status.timescaledbFix } : {}),
      embedded: status.embedded,
      serverVersion: status.serverVersion,
      migrationsApplied: status.migrations.applied,
      migrationsPending: status.migrations.pending,
      // replica: DATABASE_URL refuses writes (a hot standby): reads only, writes answer 503.
      role: status.role,
      ...(status.readOnlyReason ? { readOnlyReason: status.readOnlyReason } : {}),
      ...(status.replayLagSeconds !== undefined ? { replayLagSeconds: status.replayLagSeconds } : {}),
      // DATABASE_REPLICA_URLS: each replica's state and lag; one down or behind only sends its reads to the primary.
      ...(status.replicas.length ? { replicas: status.replicas } : {}),
    };
    return status.connected && status.migrations.pending === 0
      ? session.up(details)
      : session.down({ ...details, message: status.error ?? 'migrations pending' });
  }
}
