import { statfs } from 'node:fs/promises';
import type { AppConfigService } from '@app/config';
import type { DatabaseService } from '@app/database';

/** Where a capacity figure came from: the STORAGE_CAPACITY_BYTES setting or the embedded engine's filesystem. */
export type CapacitySource = 'setting' | 'filesystem';

/** How many bytes the database may grow to. */
export class StorageCapacity {
  constructor(
    private readonly config: AppConfigService,
    private readonly database: DatabaseService,
  ) {}

  /**
   * STORAGE_CAPACITY_BYTES; else, for the embedded engine, the free space of the filesystem
   * under DATA_DIR plus what the database already holds there; else (a remote server, whose
   * disk this process cannot see) null.
   */
  async of(databaseBytes: number): Promise<{ bytes: number; source: CapacitySource } | null> {
    const setting = this.config.get('STORAGE_CAPACITY_BYTES');
    if (setting !== undefined) return { bytes: setting, source: 'setting' };
    if (!this.database.isEmbedded) return null;
    return { bytes: await filesystemCapacity(this.config.get('DATA_DIR'), databaseBytes), source: 'filesystem' };
  }
}

/** What the database could hold on the filesystem of `directory`: what it holds plus the space left to unprivileged users. */
export async function filesystemCapacity(directory: string, databaseBytes: number): Promise<number> {
  const filesystem = await statfs(directory);
  return filesystem.bavail * filesystem.bsize + databaseBytes;
}
