import { staticImportsOf } from './module-graph';

describe('staticImportsOf', () => {
  const files: Record<string, string> = {
    'js/main.js': "import { a } from './a.js';\nimport { b, c } from './sub/b.js';\nconst lazy = () => import('./lazy.js');\n",
    'js/a.js': "import { b } from './sub/b.js';\nexport const a = 1;\n",
    'js/sub/b.js': "import {\n  x,\n} from '../../vendor/lib.mjs';\nimport './side-effect.js';\nexport const b = 2, c = 3;\n",
    'js/sub/side-effect.js': '',
    'js/lazy.js': "import { a } from './a.js';\n",
    'vendor/lib.mjs': 'export const x = 0;',
  };

  it('follows static imports across folders, once each, and leaves dynamic imports out', () => {
    expect(staticImportsOf('js/main.js', (path) => files[path])).toEqual([
      'js/main.js',
      'js/a.js',
      'js/sub/b.js',
      'vendor/lib.mjs',
      'js/sub/side-effect.js',
    ]);
  });

  it('skips what it cannot read', () => {
    expect(staticImportsOf('js/missing.js', (path) => files[path])).toEqual([]);
  });
});
