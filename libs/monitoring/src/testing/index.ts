/** What tests drive by hand instead of waiting for the monitor's timers. */
export { AlertTicker } from '../alerts/alert-ticker';
export { StorageMonitor } from '../storage/storage-monitor';
