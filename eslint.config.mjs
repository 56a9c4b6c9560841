// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * The layers, as lint enforces them: each library lists the libraries it may import
 * (`@app/<lib>`, through its index.ts). Nothing imports upward, a library never imports
 * an app, and only test code reaches into a library's `testing` entry.
 * docs/ARCHITECTURE.md draws the same picture.
 */
const LAYERS = {
  core: [],
  config: ['core'],
  calendar: ['core'],
  http: ['core', 'config'],
  database: ['core', 'config', 'metrics'],
  metrics: ['core', 'config'],
  cache: ['core', 'config', 'database', 'metrics'],
  provider: ['core'],
  auth: ['core', 'config', 'http'],
  polygon: ['core', 'config', 'calendar', 'provider', 'metrics'],
  'market-data': ['core', 'config', 'calendar', 'http', 'database', 'metrics', 'cache'],
  ingestion: ['core', 'config', 'calendar', 'database', 'provider', 'metrics', 'market-data'],
  backfill: ['core', 'config', 'calendar', 'http', 'database', 'provider', 'metrics', 'market-data', 'ingestion'],
  gaps: ['core', 'config', 'calendar', 'http', 'database', 'market-data', 'backfill'],
  enrichment: ['core', 'config', 'calendar', 'http', 'database', 'metrics', 'cache', 'market-data'],
  monitoring: [
    'core',
    'config',
    'calendar',
    'http',
    'database',
    'metrics',
    'cache',
    'provider',
    'polygon',
    'market-data',
    'ingestion',
    'backfill',
    'gaps',
    'enrichment',
  ],
  dashboard: ['core', 'config', 'http'],
  'polygon-compat': [
    'core',
    'config',
    'calendar',
    'http',
    'database',
    'metrics',
    'cache',
    'provider',
    'auth',
    'market-data',
    'ingestion',
    'enrichment',
  ],
};
const LIBS = Object.keys(LAYERS);

/** Files that are tests or test support: they may use every library's `testing` entry and `@app/testing`. */
const TEST_FILES = ['**/*.spec.ts', '**/*.e2e-spec.ts', 'apps/*/test/**', 'libs/testing/**', 'libs/*/src/testing/**'];

const outsideTheLibrary = {
  group: ['**/libs/**', '**/apps/**', '**/migrations', '**/migrations/**', '../../*/src/**'],
  message: 'Import another library through its barrel (@app/<lib>), never by relative path; libraries never import apps.',
};
const deepImport = {
  regex: '^@app/[a-z-]+/(?!testing$).+',
  message: 'Import a library through its index.ts (@app/<lib>); only the `testing` entry may be imported by path.',
};

function layerRule(lib) {
  const forbidden = LIBS.filter((other) => other !== lib && !LAYERS[lib].includes(other));
  return {
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            outsideTheLibrary,
            deepImport,
            {
              regex: `^@app/(${[...forbidden, 'testing'].join('|')})(/.*)?$`,
              message: `@app/${lib} may import only ${LAYERS[lib].map((l) => `@app/${l}`).join(', ') || 'nothing of ours'} (docs/ARCHITECTURE.md).`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'tmp/', 'coverage/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Nest's interfaces (guards, lifecycle hooks) and the port's methods are async by contract.
      '@typescript-eslint/require-await': 'off',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  ...LIBS.map(layerRule),
  {
    files: ['apps/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: [deepImport, { regex: '^@app/testing$', message: 'Only tests use @app/testing.' }] }],
    },
  },
  {
    // Test code may use every library and each one's testing entry, but still not past a barrel.
    files: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../*/src/**', '**/libs/**'], message: outsideTheLibrary.message }, deepImport] },
      ],
    },
  },
  {
    // Benchmarks and command-line scripts print their figures; they use libraries like tests do.
    files: ['bench/**/*.ts', 'scripts/**/*.ts', 'apps/cli/**/*.ts'],
    rules: {
      'no-console': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/libs/**'], message: outsideTheLibrary.message }, deepImport] }],
    },
  },
  {
    // Specs read test doubles and parsed JSON loosely typed; the unsafe-* family would only add casts there.
    files: [...TEST_FILES, 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
);
