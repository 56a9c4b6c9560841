export { MonitoringModule } from './monitoring.module';
export { AlertEventEntity } from './alerts/alert-event.entity';
export { AlertStateEntity } from './alerts/alert-state.entity';
export { DatabaseHealthReporter, type DatabaseHealthReport } from './database-health/database-health.reporter';
export { MonitorInstanceEntity } from './alerts/monitor-instance.entity';
export { LatencySlotEntity } from './latency/latency-slot.entity';
export { LatencyWindows, type LatencySeries, type LatencySummary } from './latency/latency-windows';
export { StorageSampleEntity } from './storage/storage-sample.entity';
export type { StorageReport } from './storage/storage-report';
