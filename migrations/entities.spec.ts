import type { DataSource, EntityMetadata } from 'typeorm';
import { DatabaseTestContext, ENGINES, bootDatabase } from '@app/testing';
import { ENTITIES } from './index';

/** A column as the migrations made it (information_schema) or as an entity declares it (TypeORM metadata). */
interface ColumnShape {
  column: string;
  type: string;
  array: boolean;
  nullable: boolean;
  primary: boolean;
  hasDefault: boolean;
}

type ColumnMetadata = EntityMetadata['columns'][number];

const byColumn = (a: ColumnShape, b: ColumnShape): number => (a.column < b.column ? -1 : a.column > b.column ? 1 : 0);

interface SchemaColumn {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  primary: boolean;
}

/** Element type names of information_schema's udt_name (`_text`) in the words data_type uses. */
const ELEMENT_TYPES: Record<string, string> = {
  text: 'text',
  float8: 'double precision',
  int8: 'bigint',
  int4: 'integer',
  bool: 'boolean',
};

async function migratedTables(dataSource: DataSource): Promise<Map<string, ColumnShape[]>> {
  const rows = await dataSource.query<SchemaColumn[]>(
    `SELECT c.table_name, c.column_name, c.data_type, c.udt_name, c.is_nullable, c.column_default,
            EXISTS (
              SELECT 1 FROM information_schema.table_constraints tc
              JOIN information_schema.key_column_usage k
                ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
              WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
                AND tc.table_name = c.table_name AND k.column_name = c.column_name
            ) AS primary
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> $1
     ORDER BY c.table_name`,
    [migrationsTable(dataSource)],
  );
  const tables = new Map<string, ColumnShape[]>();
  for (const row of rows) {
    const array = row.data_type === 'ARRAY';
    const type = array ? (ELEMENT_TYPES[row.udt_name.replace(/^_/, '')] ?? row.udt_name) : row.data_type;
    const shape = {
      column: row.column_name,
      type,
      array,
      nullable: row.is_nullable === 'YES',
      primary: row.primary,
      hasDefault: row.column_default !== null,
    };
    tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), shape]);
  }
  for (const columns of tables.values()) columns.sort(byColumn);
  return tables;
}

function declaredColumn(dataSource: DataSource, column: ColumnMetadata): ColumnShape {
  return {
    column: column.databaseName,
    type: dataSource.driver.normalizeType(column),
    array: column.isArray,
    nullable: column.isNullable,
    primary: column.isPrimary,
    // Create/update date columns get now(), generated ones their sequence, from TypeORM's point of view as well as the table's.
    hasDefault: column.default !== undefined || column.isCreateDate || column.isUpdateDate || column.isGenerated,
  };
}

function migrationsTable(dataSource: DataSource): string {
  return dataSource.options.migrationsTableName ?? 'migrations';
}

describe.each(ENGINES)('entities against the migrated schema on %s', (engine) => {
  let ctx: DatabaseTestContext;

  beforeAll(async () => {
    ctx = await bootDatabase(engine);
  });

  afterAll(() => ctx.close());

  it('maps every table the migrations create, and only those, with ENTITIES', async () => {
    const { dataSource } = ctx.database;
    const tables = await migratedTables(dataSource);
    expect([...tables.keys()].sort()).toEqual([
      'alert_events',
      'alert_states',
      'backfill_checkpoints',
      'candle_changes',
      'enrichment_series',
      'indicator_blocks',
      'latency_slots',
      'market_data',
      'monitor_instances',
      'storage_samples',
      'tracked_symbols',
    ]);
    expect(dataSource.entityMetadatas.map((metadata) => metadata.tableName).sort()).toEqual([...tables.keys()].sort());
    expect(dataSource.entityMetadatas.map((metadata) => metadata.target)).toEqual(expect.arrayContaining(ENTITIES));
    expect(dataSource.entityMetadatas).toHaveLength(ENTITIES.length);
  });

  it.each(ENTITIES.map((entity) => [entity.name, entity] as const))(
    '%s declares each column as the migrations made it',
    async (_name, entity) => {
      const { dataSource } = ctx.database;
      const metadata = dataSource.getMetadata(entity);
      const declared = metadata.columns.map((column) => declaredColumn(dataSource, column)).sort(byColumn);
      expect(declared).toEqual((await migratedTables(dataSource)).get(metadata.tableName));
    },
  );
});
