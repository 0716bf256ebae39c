// One jest configuration for every project. TEST_KIND picks the suite:
//   unit (default) -> *.spec.ts      beside the code, no I/O
//   int            -> *.int-spec.ts  against real services the harness starts on free ports
//   e2e            -> *.e2e-spec.ts  through the real HTTP / gRPC interfaces of booted apps
// int and e2e runs share one PostgreSQL, started once per jest process (tools/jest/global-setup.cjs).
const path = require('node:path');
const { pathsToModuleNameMapper } = require('./tools/jest/paths.cjs');

const suffix = { unit: 'spec', int: 'int-spec', e2e: 'e2e-spec' };

module.exports = function jestConfig(projectDir) {
  const kind = process.env.TEST_KIND || 'unit';
  if (!suffix[kind]) throw new Error(`TEST_KIND must be one of ${Object.keys(suffix).join(', ')}; got "${kind}"`);
  const root = __dirname;
  return {
    displayName: `${path.relative(root, projectDir)} (${kind})`,
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: [`<rootDir>/**/*.${suffix[kind]}.ts`],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    transform: {
      '^.+\\.ts$': ['@swc/jest', { swcrc: false, ...require('./tools/jest/swc-options.cjs') }],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: pathsToModuleNameMapper(root),
    setupFilesAfterEnv: [path.join(root, 'tools/jest/builtins-untouched.cjs')],
    testTimeout: kind === 'unit' ? 5_000 : 120_000,
    // The same paths in every project: jest runs each distinct global setup once per run, not per project.
    ...(kind === 'unit'
      ? {}
      : { globalSetup: path.join(root, 'tools/jest/global-setup.cjs'), globalTeardown: path.join(root, 'tools/jest/global-teardown.cjs') }),
  };
};
