import { TIMESCALE_PRELOAD_FIX, TimescaleProbe, decideTimescale, preloadsTimescale } from './timescale-support';

const server = (probe: Partial<TimescaleProbe>): TimescaleProbe => ({
  available: true,
  installed: false,
  preloadLibraries: '',
  loadsExtensionsItself: false,
  ...probe,
});

describe('decideTimescale', () => {
  it('plain PostgreSQL: not used, because the extension is not on the server; nothing to fix', () => {
    expect(decideTimescale(server({ available: false, preloadLibraries: 'timescaledb' }))).toEqual({
      use: false,
      reason: 'the timescaledb extension is not installed on this server',
    });
  });

  it('available and preloaded: used', () => {
    expect(decideTimescale(server({ preloadLibraries: 'timescaledb' }))).toEqual({ use: true });
    expect(decideTimescale(server({ preloadLibraries: 'pg_stat_statements, timescaledb' }))).toEqual({ use: true });
  });

  it('already created in this database: used, whatever the preload list says', () => {
    expect(decideTimescale(server({ installed: true, preloadLibraries: '' }))).toEqual({ use: true });
    expect(decideTimescale(server({ installed: true, preloadLibraries: undefined }))).toEqual({ use: true });
  });

  it('available but not preloaded (CREATE EXTENSION would be FATAL): not used, with the reason and the fix', () => {
    for (const preloadLibraries of ['', 'pg_stat_statements', 'timescaledb_toolkit', 'timescaledb-2.28.0']) {
      expect(decideTimescale(server({ preloadLibraries }))).toEqual({
        use: false,
        reason: 'the timescaledb extension is installed but not in shared_preload_libraries, so PostgreSQL cannot load it',
        fix: TIMESCALE_PRELOAD_FIX,
      });
    }
    expect(TIMESCALE_PRELOAD_FIX).toContain("shared_preload_libraries = 'timescaledb'");
    expect(TIMESCALE_PRELOAD_FIX).toContain('restart');
  });

  it('the in-process engine (PGlite) loads the extension itself: used although its preload list is empty', () => {
    expect(decideTimescale(server({ loadsExtensionsItself: true, preloadLibraries: '' }))).toEqual({ use: true });
  });

  it('preload list unreadable by this role: not tried (a database owner may create the trusted extension), with a fix', () => {
    const decision = decideTimescale(server({ preloadLibraries: undefined }));
    expect(decision.use).toBe(false);
    expect(decision.reason).toContain('may not read shared_preload_libraries');
    expect(decision.fix).toContain('pg_read_all_settings');
  });
});

describe('preloadsTimescale', () => {
  it.each([
    'timescaledb',
    ' timescaledb ',
    'auto_explain,timescaledb',
    '"timescaledb"',
    "'timescaledb'",
    '$libdir/timescaledb',
    '$libdir/timescaledb.so',
    'TimescaleDB',
  ])('finds the loader in %p', (setting) => expect(preloadsTimescale(setting)).toBe(true));

  it.each(['', 'pg_stat_statements', 'timescaledb_toolkit', 'my_timescaledb', 'timescaledb-2.28.0'])('does not find it in %p', (setting) =>
    expect(preloadsTimescale(setting)).toBe(false),
  );
});
