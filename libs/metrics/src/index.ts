export { MetricsModule } from './metrics.module';
export { METRICS_REGISTRY } from './metrics-registry';
export { timeInto } from './time-into';
