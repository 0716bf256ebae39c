// Maps the workspace's TypeScript path aliases (tsconfig.base.json, the one source of truth) to jest.
const path = require('node:path');
const fs = require('node:fs');

exports.pathsToModuleNameMapper = function pathsToModuleNameMapper(root) {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  const mapper = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
    mapper[`^${alias.replace(/[/.]/g, '\\$&')}$`] = path.join(root, target);
  }
  return mapper;
};
