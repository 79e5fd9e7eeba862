// ESLint flat config: type-aware TypeScript rules and the layering rules of docs/architecture.md.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    'process',
    'console',
    '__dirname',
    '__filename',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'URL',
    'fetch',
    'AbortSignal',
    'AbortController',
    'performance',
    'structuredClone',
    'wrk',
    'math',
    'os',
  ].map((g) => [g, 'readonly']),
);

/** Another app's code, reached by a relative path or by an `apps/...` path. */
const OTHER_APPS = ['**/apps/**', 'apps/**', '../../*/src/**', '../../../*/src/**'];
const message = (what) => `Layering (docs/architecture.md): ${what}. See docs/adr/0002-layering-lint.md.`;

/** A library's own name, never a path into it. */
const LIBRARY_DEEP_PATH = {
  group: ['@stockbridge/*/src', '@stockbridge/*/src/**'],
  message: message('import a library by its alias, @stockbridge/<lib>, never a deep path'),
};

/**
 * Import restrictions per file group. ESLint applies only the last matching `no-restricted-imports`
 * config to a file, so each group lists everything that applies to it.
 */
const common = [
  LIBRARY_DEEP_PATH,
  {
    group: ['**/libs/**', 'libs/**'],
    message: message('import a library by its alias, @stockbridge/<lib>, never by a relative path'),
  },
];
const LIBRARY_SPECS = ['libs/**/*.spec.ts', 'libs/**/*.integration-spec.ts'];
/** What applies to every library. */
const LIBRARY_RULES = [
  LIBRARY_DEEP_PATH,
  {
    group: ['**/apps/**', 'apps/**', '../../../apps/**'],
    message: message('libraries never import apps'),
  },
  {
    group: ['../../*/src/**', '../../../libs/**'],
    message: message('import another library by its alias, @stockbridge/<lib>'),
  },
];

export const layering = [
  {
    files: ['apps/experience-*/**/*.ts'],
    patterns: [
      ...common,
      {
        group: [
          '@stockbridge/ledger',
          '@stockbridge/persistence',
          '@stockbridge/orders',
          '@stockbridge/catalog-files',
        ],
        message: message(
          'an experience app never touches the ledger or its tables; call the process APIs or read the read model',
        ),
      },
      {
        group: ['@stockbridge/mapping', '@stockbridge/integration'],
        message: message(
          "an experience app never talks to a backend or translates its codes; that is the system layer's work",
        ),
      },
      {
        group: OTHER_APPS,
        message: message(
          "an experience app never imports another app's code (process or system layers included)",
        ),
      },
    ],
  },
  {
    // After `apps/experience-*`: the marketplace channel keeps its outbound listings (and dead letters) in
    // tables of its own, so it wires the database pool and runs SQL on those; the ledger stays out of reach.
    files: ['apps/experience-marketplace/**/*.ts'],
    patterns: [
      ...common,
      {
        group: ['@stockbridge/ledger', '@stockbridge/orders', '@stockbridge/catalog-files'],
        message: message(
          'an experience app never touches the ledger; call the process APIs or read the read model',
        ),
      },
      {
        group: ['@stockbridge/persistence'],
        allowImportNames: ['DatabaseModule', 'Db'],
        message: message(
          'the marketplace app wires DatabaseModule and queries its own tables through Db; nothing else of persistence',
        ),
      },
      {
        group: ['@stockbridge/mapping', '@stockbridge/integration'],
        message: message(
          "an experience app never talks to a backend or translates its codes; that is the system layer's work",
        ),
      },
      {
        group: OTHER_APPS,
        message: message(
          "an experience app never imports another app's code (process or system layers included)",
        ),
      },
    ],
  },
  {
    files: ['apps/system-*/**/*.ts'],
    patterns: [
      ...common,
      {
        group: ['@stockbridge/ledger', '@stockbridge/orders', '@stockbridge/catalog-files'],
        message: message(
          'a system app knows one backend and the canonical model, not the ledger, the orders or the catalog loader',
        ),
      },
      {
        // The app's one pool is wired (DatabaseModule) for the libraries that keep the inbox, the dead
        // letters and the mappings; the app itself never queries, and never sees the data source or migrations.
        group: ['@stockbridge/persistence'],
        allowImportNames: ['DatabaseModule'],
        message: message(
          'a system app has no tables and runs no SQL: it may wire DatabaseModule for the libraries, nothing else',
        ),
      },
      { group: OTHER_APPS, message: message('a system app never imports process or experience code') },
    ],
  },
  {
    files: ['apps/process-*/**/*.ts', 'apps/ops/**/*.ts', 'apps/cli/**/*.ts'],
    patterns: [
      ...common,
      {
        group: OTHER_APPS,
        message: message("an app never imports another app's code; shared code lives in libs/"),
      },
    ],
  },
  {
    files: ['apps/sandbox/**/*.ts'],
    patterns: [
      ...common,
      {
        // The sandbox stands in for other vendors' systems: it shares the app platform (libs/app-platform, and the
        // configuration it is built on, libs/config) and nothing of the inventory platform it is a backend to.
        group: ['@stockbridge/*', '!@stockbridge/app-platform', '!@stockbridge/config'],
        message: message(
          'the sandbox imports nothing of the platform but @stockbridge/app-platform and @stockbridge/config',
        ),
      },
      {
        group: OTHER_APPS,
        message: message("an app never imports another app's code; shared code lives in libs/"),
      },
    ],
  },
  {
    files: ['libs/**/*.ts'],
    ignores: LIBRARY_SPECS,
    patterns: LIBRARY_RULES,
  },
  {
    // After `libs/**`: what the channel APIs share (API-key gate, scope guard, process-API client) is part of the
    // experience layer, and keeps its rules: no ledger or its tables, no backend.
    files: ['libs/channel-api/**/*.ts'],
    ignores: LIBRARY_SPECS,
    patterns: [
      ...LIBRARY_RULES,
      {
        group: [
          '@stockbridge/ledger',
          '@stockbridge/persistence',
          '@stockbridge/orders',
          '@stockbridge/catalog-files',
          '@stockbridge/mapping',
          '@stockbridge/integration',
        ],
        message: message(
          'the channel-api library belongs to the experience layer: it reaches the ledger only through the process APIs, and never a backend',
        ),
      },
    ],
  },
  {
    // After `libs/**`: the catalog-files library loads into the ledger through its API, never the reverse.
    files: ['libs/ledger/**/*.ts'],
    ignores: LIBRARY_SPECS,
    patterns: [
      ...LIBRARY_RULES,
      {
        group: ['@stockbridge/catalog-files'],
        message: message(
          'the ledger never imports the catalog-files library: that library loads into the ledger',
        ),
      },
    ],
  },
  {
    // After `libs/**`: the last matching group is the one that applies.
    files: ['libs/canonical/**/*.ts'],
    ignores: LIBRARY_SPECS,
    patterns: [
      {
        group: ['@stockbridge/*', '@stockbridge/*/**'],
        message: message('the canonical model imports nothing of ours: every other part depends on it'),
      },
      {
        group: ['../../**', '**/apps/**', 'apps/**', '**/libs/**', 'libs/**'],
        message: message('the canonical model imports nothing outside libs/canonical'),
      },
      {
        group: ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis', 'pg', 'fastify', '@fastify/*'],
        message: message(
          'the canonical model is plain TypeScript: no framework, no database or queue client',
        ),
      },
    ],
  },
];

/** The layering rule as flat-config objects (also used by scripts/check-layering.mjs). */
export function layeringConfigs() {
  return layering.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  }));
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'openapi/**',
      'apps/*/src/metadata.ts',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A `default` counts when present: ours end in assertNever() for real unions.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  ...layeringConfigs(),
  {
    // Tests, CLI output and scripts print on purpose.
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', 'test/**/*.ts', 'apps/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: NODE_GLOBALS, sourceType: 'commonjs', ecmaVersion: 2023 },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  prettier,
);
