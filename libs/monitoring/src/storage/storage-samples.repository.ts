import { LessThan, MoreThanOrEqual, type Repository } from 'typeorm';
import type { DatabaseService } from '@app/database';
import { StorageSampleEntity } from './storage-sample.entity';
import type { StorageSample } from './storage-sample';

/** The only code that reads and writes storage_samples, the history every instance shares. */
export class StorageSamplesRepository {
  constructor(private readonly database: DatabaseService) {}

  /** Asked per call: the DataSource exists once connected, and is replaced after a reconnect. */
  private get table(): Repository<StorageSampleEntity> {
    return this.database.dataSource.getRepository(StorageSampleEntity);
  }

  /** A sample taken at the same instant by another instance wins; the figures are the same. */
  async insert(sample: StorageSample): Promise<void> {
    await this.table.createQueryBuilder().insert().values(toEntity(sample)).orIgnore().updateEntity(false).execute();
  }

  async newest(): Promise<StorageSample | undefined> {
    const [entity] = await this.table.find({ order: { sampledAt: 'DESC' }, take: 1 });
    return entity && toSample(entity);
  }

  async oldestSince(since: Date): Promise<StorageSample | undefined> {
    const [entity] = await this.table.find({ where: { sampledAt: MoreThanOrEqual(since) }, order: { sampledAt: 'ASC' }, take: 1 });
    return entity && toSample(entity);
  }

  /** Milliseconds since the newest sample by the database's clock (the one samples are stamped with); undefined when there is none. */
  async newestAgeMs(): Promise<number | undefined> {
    const [row] = await this.database.query<{ age_ms: number | null }>(
      `SELECT (extract(epoch FROM clock_timestamp() - max(sampled_at)) * 1000)::float8 AS age_ms FROM storage_samples`,
    );
    return row.age_ms ?? undefined;
  }

  async deleteOlderThan(cutoff: Date): Promise<void> {
    await this.table.delete({ sampledAt: LessThan(cutoff) });
  }
}

function toEntity(sample: StorageSample): StorageSampleEntity {
  const text = (value: number | null | undefined): string | null => (value == null ? null : String(value));
  return {
    sampledAt: sample.sampledAt,
    databaseBytes: String(sample.databaseBytes),
    marketDataBytes: String(sample.marketDataBytes),
    marketDataRows: String(sample.marketDataRows),
    uncompressedBytes: text(sample.compression?.uncompressedBytes),
    compressedBytes: text(sample.compression?.compressedBytes),
    compressedChunks: sample.compression?.compressedChunks ?? null,
    totalChunks: sample.compression?.totalChunks ?? null,
    capacityBytes: text(sample.capacityBytes),
    capacitySource: sample.capacitySource,
    timeframes: sample.timeframes,
  };
}

/** bigint columns arrive as strings. */
function toSample(entity: StorageSampleEntity): StorageSample {
  const { uncompressedBytes, compressedBytes, capacityBytes } = entity;
  return {
    sampledAt: entity.sampledAt,
    databaseBytes: Number(entity.databaseBytes),
    marketDataBytes: Number(entity.marketDataBytes),
    marketDataRows: Number(entity.marketDataRows),
    compression:
      uncompressedBytes === null || compressedBytes === null
        ? null
        : {
            uncompressedBytes: Number(uncompressedBytes),
            compressedBytes: Number(compressedBytes),
            compressedChunks: entity.compressedChunks ?? 0,
            totalChunks: entity.totalChunks ?? 0,
          },
    capacityBytes: capacityBytes === null ? null : Number(capacityBytes),
    capacitySource: entity.capacitySource,
    timeframes: entity.timeframes,
  };
}
