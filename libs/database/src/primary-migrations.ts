import type { DataSource } from 'typeorm';

/** How often a read-only instance looks whether the primary has applied the migrations it knows. */
export const MIGRATION_POLL_MS = 1_000;

/** The names TypeORM records in its migrations table for the migrations this build carries. */
function knownMigrationNames(source: DataSource): string[] {
  return source.migrations.map((migration) => migration.name ?? migration.constructor.name);
}

/**
 * How many of the known migrations the migrations table lists, read without TypeORM's executor
 * (which would try to create the table, and a read-only database refuses that).
 */
export async function appliedMigrationCount(source: DataSource): Promise<{ applied: number; pending: number }> {
  const known = knownMigrationNames(source);
  const table = source.options.migrationsTableName ?? 'migrations';
  const [exists] = await source.query<{ found: boolean }[]>('SELECT to_regclass($1) IS NOT NULL AS found', [table]);
  if (!exists.found) return { applied: 0, pending: known.length };
  const rows = await source.query<{ name: string }[]>(`SELECT name FROM "${table.replace(/"/g, '')}"`);
  const recorded = new Set(rows.map((row) => row.name));
  const applied = known.filter((name) => recorded.has(name)).length;
  return { applied, pending: known.length - applied };
}
