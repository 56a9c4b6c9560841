/**
 * Whether this server can use TimescaleDB, decided before anything tries to load it.
 * With the extension's files installed but its library not in shared_preload_libraries,
 * `CREATE EXTENSION timescaledb` is FATAL ("extension timescaledb must be preloaded"):
 * the server drops the session, so no SQL exception handler runs and a migration that
 * just tries would fail on every retry.
 */
export interface TimescaleProbe {
  /** pg_available_extensions lists timescaledb: its files are installed on the server. */
  available: boolean;
  /** pg_extension has it: CREATE EXTENSION already ran in this database. */
  installed: boolean;
  /** shared_preload_libraries; undefined when this role may not read it (no pg_read_all_settings). */
  preloadLibraries: string | undefined;
  /** The in-process WebAssembly build (PGlite, used by the tests) loads its bundled extensions itself. */
  loadsExtensionsItself: boolean;
}

export interface TimescaleDecision {
  use: boolean;
  /** Why TimescaleDB is not used. */
  reason?: string;
  /** What to change on the server to use it. */
  fix?: string;
}

export const TIMESCALE_PRELOAD_FIX =
  "set shared_preload_libraries = 'timescaledb' in postgresql.conf (keep any libraries already listed), then restart PostgreSQL";

export function decideTimescale(probe: TimescaleProbe): TimescaleDecision {
  if (!probe.available) return { use: false, reason: 'the timescaledb extension is not installed on this server' };
  if (probe.installed || probe.loadsExtensionsItself) return { use: true };
  if (probe.preloadLibraries === undefined) {
    // Trying blind could end the session (a database owner may create the extension, which is trusted).
    return {
      use: false,
      reason: 'this database role may not read shared_preload_libraries, so whether timescaledb can be loaded is unknown',
      fix: 'run CREATE EXTENSION timescaledb once as a superuser, or GRANT pg_read_all_settings to this role',
    };
  }
  if (preloadsTimescale(probe.preloadLibraries)) return { use: true };
  return {
    use: false,
    reason: 'the timescaledb extension is installed but not in shared_preload_libraries, so PostgreSQL cannot load it',
    fix: TIMESCALE_PRELOAD_FIX,
  };
}

/** True when a shared_preload_libraries value names TimescaleDB's loader (`timescaledb`, `'$libdir/timescaledb.so'`, ...). */
export function preloadsTimescale(setting: string): boolean {
  return setting
    .split(',')
    .map((item) => item.trim().replace(/^["']|["']$/g, ''))
    .some((item) => /(^|\/)timescaledb(\.so|\.dylib|\.dll)?$/i.test(item));
}

/** One query that reads every input of the decision; pg_settings hides the row from roles that may not read it. */
export const TIMESCALE_PROBE_SQL = `
  SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available,
         EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS installed,
         (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS preload,
         version() LIKE '%Emscripten%' AS in_process`;

interface ProbeRow {
  available: boolean;
  installed: boolean;
  preload: string | null;
  in_process: boolean;
}

/** Runs TIMESCALE_PROBE_SQL through any query function (a DataSource, a migration's QueryRunner). */
export async function probeTimescale(query: (sql: string) => Promise<unknown>): Promise<TimescaleProbe> {
  const [row] = (await query(TIMESCALE_PROBE_SQL)) as ProbeRow[];
  return {
    available: row.available,
    installed: row.installed,
    preloadLibraries: row.preload ?? undefined,
    loadsExtensionsItself: row.in_process,
  };
}
