export { GapsModule } from './gaps.module';
export { GapReportService } from './gap-report.service';
export type { Gap, GapReport } from './gap-report';
