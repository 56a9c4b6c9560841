export { IngestionModule } from './ingestion.module';
export { IngestionService } from './ingestion.service';
export type { IngestionResult } from './ingestion.service';
export { IngestionStatus } from './ingestion-status';
export { IngestionDisabledError } from './ingestion.errors';
