import { Gauge, type Registry } from 'prom-client';
import type { StorageReport } from './storage-report';

/** A label-less gauge kept out of the registry while its figure is unknown: registered, it would read 0. */
interface OptionalGauge {
  name: string;
  gauge: Gauge;
}

/**
 * The newest storage sample as gauges, so every instance exports the same figures. Unknown
 * figures (capacity without a setting on a remote server, compression on plain PostgreSQL,
 * everything before the first sample) are absent rather than 0.
 */
export class StorageMetrics {
  private readonly databaseBytes: OptionalGauge;
  private readonly capacityBytes: OptionalGauge;
  private readonly usedRatio: OptionalGauge;
  private readonly compressionRatio: OptionalGauge;
  private readonly rows: Gauge<'timeframe'>;
  private readonly bytes: Gauge<'timeframe'>;

  constructor(private readonly registry: Registry) {
    this.databaseBytes = optionalGauge('storage_database_bytes', 'pg_database_size at the newest storage sample');
    this.capacityBytes = optionalGauge(
      'storage_capacity_bytes',
      'Bytes the database may grow to: STORAGE_CAPACITY_BYTES, or the free space under DATA_DIR plus the database (embedded engine)',
    );
    this.usedRatio = optionalGauge('storage_used_ratio', 'storage_database_bytes / storage_capacity_bytes');
    this.compressionRatio = optionalGauge(
      'storage_compression_ratio',
      'TimescaleDB: bytes of the compressed chunks of market_data before compression / after',
    );
    this.rows = new Gauge({
      name: 'market_data_rows',
      help: 'Native bars stored per timeframe (exact count at the newest storage sample)',
      labelNames: ['timeframe'],
      registers: [registry],
    });
    this.bytes = new Gauge({
      name: 'market_data_bytes',
      help: "market_data's bytes apportioned to each timeframe by its share of the rows, at the newest storage sample",
      labelNames: ['timeframe'],
      registers: [registry],
    });
  }

  show(report: StorageReport): void {
    const capacity = report.capacity.bytes;
    this.present(this.databaseBytes, report.databaseBytes);
    this.present(this.capacityBytes, capacity);
    this.present(this.usedRatio, capacity === null ? null : report.databaseBytes / capacity);
    this.present(this.compressionRatio, report.compression?.ratio ?? null);
    // A timeframe no longer stored must disappear, not keep its last figure.
    this.rows.reset();
    this.bytes.reset();
    for (const [timeframe, { rows, bytes }] of Object.entries(report.timeframes)) {
      this.rows.set({ timeframe }, rows);
      this.bytes.set({ timeframe }, bytes);
    }
  }

  private present({ name, gauge }: OptionalGauge, value: number | null): void {
    const registered = this.registry.getSingleMetric(name) !== undefined;
    if (value === null) {
      if (registered) this.registry.removeSingleMetric(name);
      return;
    }
    if (!registered) this.registry.registerMetric(gauge);
    gauge.set(value);
  }
}

function optionalGauge(name: string, help: string): OptionalGauge {
  return { name, gauge: new Gauge({ name, help, registers: [] }) };
}
