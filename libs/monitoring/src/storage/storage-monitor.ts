import { Injectable } from '@nestjs/common';

/** Storage samples on a schedule (one instance per interval) and the storage report; see issue 11 part 3. */
@Injectable()
export class StorageMonitor {}
