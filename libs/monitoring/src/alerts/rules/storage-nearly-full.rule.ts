import { Injectable } from '@nestjs/common';
import { AppConfigService } from '@app/config';
import { StorageMonitor } from '../../storage/storage-monitor';
import type { AlertCondition, AlertRule } from '../alert';
import { formatBytes } from '../../format-bytes';

/** The newest storage sample says the database holds more than ALERT_STORAGE_PERCENT of its capacity. */
@Injectable()
export class StorageNearlyFullRule implements AlertRule {
  readonly name = 'StorageNearlyFull';
  readonly description =
    'The database holds more than ALERT_STORAGE_PERCENT of its capacity (STORAGE_CAPACITY_BYTES or DATA_DIR free space)';
  readonly severity = 'warning';

  constructor(
    private readonly storage: StorageMonitor,
    private readonly config: AppConfigService,
  ) {}

  async conditions(): Promise<AlertCondition[]> {
    const report = await this.storage.report();
    const capacity = report?.capacity;
    if (!report || !capacity?.bytes || capacity.percentUsed === null) return [];
    const threshold = this.config.get('ALERT_STORAGE_PERCENT');
    if (capacity.percentUsed <= threshold) return [];
    return [
      {
        labels: {},
        value: capacity.percentUsed / 100,
        summary: `storage at ${capacity.percentUsed.toFixed(1)}% of ${formatBytes(capacity.bytes)} (${formatBytes(report.databaseBytes)} used, threshold ${threshold}%)`,
      },
    ];
  }
}
