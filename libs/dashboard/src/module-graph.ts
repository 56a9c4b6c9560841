import { posix } from 'node:path';

/** `import ... from './x.js'` and `import './x.js'` at the start of a line: how the dashboard's modules import each other. */
const STATIC_IMPORT = /^\s*import\s+(?:[^'"]*?\sfrom\s+)?'(\.{1,2}\/[^']+)'/gm;

/**
 * Every module `entry` imports statically, directly or not, entry first (paths relative to the
 * assets folder). Dynamic import() is not followed: what a tab loads when opened stays off the first view.
 */
export function staticImportsOf(entry: string, sourceOf: (path: string) => string | undefined): string[] {
  const found: string[] = [];
  const visit = (path: string): void => {
    if (found.includes(path)) return;
    const source = sourceOf(path);
    if (source === undefined) return;
    found.push(path);
    for (const match of source.matchAll(STATIC_IMPORT)) visit(posix.normalize(posix.join(posix.dirname(path), match[1])));
  };
  visit(entry);
  return found;
}
