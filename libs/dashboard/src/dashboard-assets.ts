import { Injectable } from '@nestjs/common';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { type ContentEncoding, compress } from '@app/http';
import { staticImportsOf } from './module-graph';
import { type StaticAsset, isServable, staticAsset } from './static-asset';

/** Where `nest build` copies libs/dashboard/assets (nest-cli.json "assets"), and where they sit in the sources. */
const ASSETS_DIR = join(__dirname, '..', 'assets');

/**
 * Replaced in index.html by a modulepreload link per module the entry imports statically: they are
 * fetched at once rather than import by import; what a tab imports when opened is not among them.
 */
const PRELOADS_SLOT = /<!-- module preloads:[^>]*-->/;
const ENTRY_MODULE = 'js/main.js';

/** The chart library, straight from node_modules: the one ES module build without imports of its own. */
const VENDOR_FILES: Record<string, string> = {
  'vendor/lightweight-charts.mjs': 'dist/lightweight-charts.standalone.production.mjs',
  'vendor/lightweight-charts-LICENSE.txt': 'LICENSE',
};

export interface EncodedBody {
  body: Buffer;
  etag: string;
}

/**
 * The dashboard's files, read once at start-up (a few hundred KB), and their br/gzip forms,
 * made on first request and kept: the page is the same for everyone, so it is compressed once.
 */
@Injectable()
export class DashboardAssets {
  private readonly assets = new Map<string, StaticAsset>();
  private readonly encoded = new Map<string, Promise<EncodedBody>>();

  constructor() {
    for (const file of listFiles(ASSETS_DIR)) {
      const path = relative(ASSETS_DIR, file).split(sep).join('/');
      if (isServable(path)) this.assets.set(path, staticAsset(path, readFileSync(file)));
    }
    const chartPackage = dirname(require.resolve('lightweight-charts/package.json'));
    for (const [path, file] of Object.entries(VENDOR_FILES))
      this.assets.set(path, staticAsset(path, readFileSync(join(chartPackage, file))));
    this.listModulesInPage();
  }

  private listModulesInPage(): void {
    const page = this.assets.get('index.html');
    if (page === undefined) throw new Error(`dashboard: index.html is missing from ${ASSETS_DIR}`);
    const links = staticImportsOf(ENTRY_MODULE, (path) => this.assets.get(path)?.body.toString('utf8'))
      .filter((path) => path !== ENTRY_MODULE)
      .map((path) => `<link rel="modulepreload" href="./${path}" />`)
      .join('\n    ');
    this.assets.set('index.html', staticAsset('index.html', Buffer.from(page.body.toString('utf8').replace(PRELOADS_SLOT, links))));
  }

  /** The asset at `path` (relative to /dashboard/), or undefined: only listed files are ever served. */
  find(path: string): StaticAsset | undefined {
    return this.assets.get(path === '' ? 'index.html' : path);
  }

  /** The asset's bytes in `encoding`, with a tag of their own (a strong ETag names one representation). */
  async encode(asset: StaticAsset, encoding: ContentEncoding): Promise<EncodedBody> {
    if (encoding === 'identity') return { body: asset.body, etag: asset.etag };
    const key = `${encoding}:${asset.path}`;
    let made = this.encoded.get(key);
    if (made === undefined) {
      made = compress(asset.body, encoding).then((body) => ({ body, etag: `${asset.etag.slice(0, -1)}.${encoding}"` }));
      // A failed compression is not kept: the next request tries again.
      made.catch(() => this.encoded.delete(key));
      this.encoded.set(key, made);
    }
    return made;
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
  );
}
