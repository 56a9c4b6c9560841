/** What tests drive by hand instead of waiting for the monitor's timers. */
export { AlertEvaluator } from '../alerts/alert-evaluator';
export { AlertTicker } from '../alerts/alert-ticker';
export { StorageMonitor } from '../storage/storage-monitor';
