/**
 * Injection token of the application's one prom-client `Registry`. Every component that
 * records metrics registers them here (`registers: [registry]`); `/metrics` serves it whole.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
