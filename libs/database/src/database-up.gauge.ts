import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/metrics';
import { DatabaseService } from './database.service';

/**
 * `database_up`: 1 when the database answers and every migration is applied, else 0 (what /health
 * says). Read from status() at scrape time rather than isReady, which stays true once connected
 * however long the database has been gone; status() runs SELECT 1 bounded by 2 s, well inside a
 * scrape timeout, and never throws.
 */
@Injectable()
export class DatabaseUpGauge {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, database: DatabaseService) {
    new Gauge({
      name: 'database_up',
      help: '1 when the database answers a short query and every migration is applied, else 0',
      registers: [registry],
      async collect() {
        const status = await database.status();
        this.set(status.connected && status.migrations.pending === 0 ? 1 : 0);
      },
    });
  }
}
