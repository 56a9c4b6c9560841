export { PolygonCompatModule } from './polygon-compat.module';
