import type { DatabaseService } from '@app/database';

/** One index of market_data; on TimescaleDB its copies on every chunk, summed. */
export interface IndexUsage {
  /** The index's name on market_data, or COMPRESSED_CHUNKS for the indexes of TimescaleDB's compressed chunks. */
  name: string;
  scans: number;
  /** Index entries returned by its scans. */
  tuplesRead: number;
  /** Live rows fetched from the table by simple scans of it. */
  tuplesFetched: number;
  bytes: number;
}

export type IndexScans = Pick<IndexUsage, 'name' | 'scans'>;

/** Sequential scans against index scans of market_data (on TimescaleDB summed over its chunks). */
export interface TableScans {
  sequential: number;
  index: number;
}

/**
 * Compressed chunks hold their rows in a table of their own whose index (on the segmentby
 * columns) is named after the chunk and truncated, so it maps to no index of market_data:
 * all of them count under this one name.
 */
export const COMPRESSED_CHUNKS = 'compressed_chunks';

/** market_data and its chunks (children on TimescaleDB; none on plain PostgreSQL), and each one's kind. */
const CHUNKS = `
  SELECT 'market_data'::regclass AS relid, 'table' AS kind
  UNION ALL
  SELECT inhrelid, 'chunk' FROM pg_inherits WHERE inhparent = 'market_data'::regclass`;

/** TimescaleDB's compressed copies of market_data's chunks, from its catalog. */
const COMPRESSED = `
  UNION ALL
  SELECT format('%I.%I', compressed.schema_name, compressed.table_name)::regclass, 'compressed'
  FROM _timescaledb_catalog.chunk chunk
  JOIN _timescaledb_catalog.chunk compressed ON compressed.id = chunk.compressed_chunk_id
  JOIN _timescaledb_catalog.hypertable hypertable ON hypertable.id = chunk.hypertable_id
  WHERE format('%I.%I', hypertable.schema_name, hypertable.table_name)::regclass = 'market_data'::regclass`;

/**
 * A chunk's copy of an index is named `<chunk>_<index>` or, when it backs a constraint (the
 * primary key), `<chunk id>_<n>_<index>`; names that map to no index of market_data are left out,
 * so labels never grow per chunk.
 */
const INDEX_NAME = `
  CASE parts.kind
    WHEN 'table' THEN stats.indexrelname
    WHEN 'compressed' THEN '${COMPRESSED_CHUNKS}'
    WHEN 'chunk' THEN CASE WHEN starts_with(stats.indexrelname, stats.relname || '_')
                           THEN substr(stats.indexrelname, length(stats.relname) + 2)
                           ELSE regexp_replace(stats.indexrelname, '^[0-9]+_[0-9]+_', '') END
  END`;

/**
 * Reads PostgreSQL's cumulative statistics. They are as fresh as the sessions' last flush: a
 * busy session reports at most once a second, an idle one within 10 s; the in-process test
 * engine (PGlite) never flushes, so there every counter stays 0.
 */
export class DatabaseStatistics {
  constructor(private readonly database: DatabaseService) {}

  /** blks_hit / (blks_hit + blks_read) of the current database; null before any block was asked for. */
  async bufferCacheHitRatio(): Promise<number | null> {
    const [row] = await this.database.query<{ hit: number; read: number }>(
      'SELECT blks_hit::float8 AS hit, blks_read::float8 AS read FROM pg_stat_database WHERE datname = current_database()',
    );
    const blocks = (row?.hit ?? 0) + (row?.read ?? 0);
    return blocks === 0 ? null : row.hit / blocks;
  }

  /** Scans per index: what a scrape reads (no size functions, so no lock on any chunk). */
  async indexScans(): Promise<IndexScans[]> {
    return this.database.query<IndexScans>(
      `SELECT name, sum(idx_scan)::float8 AS scans FROM (${this.namedIndexes()}) AS indexes GROUP BY name ORDER BY name`,
    );
  }

  async indexUsage(): Promise<IndexUsage[]> {
    return this.database.query<IndexUsage>(
      `SELECT name, sum(idx_scan)::float8 AS scans, sum(idx_tup_read)::float8 AS "tuplesRead",
              sum(idx_tup_fetch)::float8 AS "tuplesFetched", sum(pg_relation_size(indexrelid))::float8 AS bytes
       FROM (${this.namedIndexes()}) AS indexes GROUP BY name ORDER BY name`,
    );
  }

  async marketDataScans(): Promise<TableScans> {
    const [row] = await this.database.query<TableScans>(
      `SELECT coalesce(sum(stats.seq_scan), 0)::float8 AS sequential, coalesce(sum(stats.idx_scan), 0)::float8 AS index
       FROM pg_stat_user_tables stats JOIN (${this.parts()}) AS parts ON parts.relid = stats.relid`,
    );
    return row;
  }

  /** The statistics of every index of market_data's relations, under the name of the index of market_data each copies. */
  private namedIndexes(): string {
    return `
      SELECT * FROM (
        SELECT ${INDEX_NAME} AS name, stats.indexrelid, stats.idx_scan, stats.idx_tup_read, stats.idx_tup_fetch
        FROM pg_stat_user_indexes stats JOIN (${this.parts()}) AS parts ON parts.relid = stats.relid
      ) AS named
      WHERE name = '${COMPRESSED_CHUNKS}'
         OR name IN (SELECT indexrelname FROM pg_stat_user_indexes WHERE relid = 'market_data'::regclass)`;
  }

  private parts(): string {
    return this.database.hasTimescale ? CHUNKS + COMPRESSED : CHUNKS;
  }
}
