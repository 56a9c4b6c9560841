import { Injectable } from '@nestjs/common';

/** Buffer cache hit ratio and index usage on market_data; see issue 11 part 4. */
@Injectable()
export class DatabaseHealthReporter {}
