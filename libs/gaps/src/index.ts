export { GapsModule } from './gaps.module';
