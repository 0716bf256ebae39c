const base = require('../../jest.preset.cjs')(__dirname);
const swcOptions = require('../../tools/jest/swc-options.cjs');

// Jest's CommonJS runtime on Node 20 can neither require an ES module nor run `import()` (without
// --experimental-vm-modules). nock 15 and its interceptors are ES modules only, and the BigQuery client's
// HTTP layers (gaxios, teeny-request) load node-fetch 3, also ES only, with `import()`. SWC compiles these
// few packages to CommonJS for the tests, like our own sources.
const esmOnly = [
  'nock',
  '@mswjs/interceptors',
  '@open-draft/until',
  'rettime',
  'gaxios',
  'teeny-request',
  'node-fetch',
  'data-uri-to-buffer',
  'fetch-blob',
  'formdata-polyfill',
];

module.exports = {
  ...base,
  transform: {
    ...base.transform,
    '^.+\\.[mc]?js$': ['@swc/jest', { ...swcOptions, swcrc: false, jsc: { ...swcOptions.jsc, parser: { syntax: 'ecmascript' } } }],
  },
  setupFiles: ['<rootDir>/jest.polyfills.cjs'],
  moduleFileExtensions: [...base.moduleFileExtensions, 'mjs', 'cjs'],
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
};
