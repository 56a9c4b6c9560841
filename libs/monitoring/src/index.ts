export { MonitoringModule } from './monitoring.module';
export { AlertEventEntity } from './alerts/alert-event.entity';
export { AlertStateEntity } from './alerts/alert-state.entity';
export { LatencySlotEntity } from './latency/latency-slot.entity';
export { StorageSampleEntity } from './storage/storage-sample.entity';
