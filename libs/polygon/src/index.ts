export { PolygonModule } from './polygon.module';
export { PolygonClient } from './polygon.client';
export { PolygonMetrics } from './polygon.metrics';
export { DEFAULT_POLYGON_TUNING, POLYGON_TUNING } from './polygon-client.options';
export type { PolygonTuning } from './polygon-client.options';
