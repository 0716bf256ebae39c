// Workspace rules that no linter checks: run by `npm run test:all`.
// - .swcrc (the build) and tsconfig.base.json (type-check, tests, dev runs) declare the same path aliases;
// - every project has a type:* and a scope:* tag (the boundary rules are keyed on them);
// - every lib has exactly one public entry, src/index.ts, and its alias points at it.
const fs = require('node:fs');
const path = require('node:path');
const root = path.join(__dirname, '../..');
const read = (p) => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));
const problems = [];

const tsPaths = read('tsconfig.base.json').compilerOptions.paths;
const swcPaths = read('.swcrc').jsc.paths;
if (JSON.stringify(tsPaths) !== JSON.stringify(swcPaths)) problems.push('.swcrc jsc.paths differ from tsconfig.base.json compilerOptions.paths (keep them identical, sorted)');

const projects = [];
for (const group of ['apps', 'libs', 'tools']) {
  for (const name of fs.readdirSync(path.join(root, group))) {
    if (fs.existsSync(path.join(root, group, name, 'project.json'))) projects.push(`${group}/${name}`);
  }
}
projects.push('proto');
for (const dir of projects) {
  const tags = read(`${dir}/project.json`).tags ?? [];
  if (!tags.some((t) => t.startsWith('type:')) || !tags.some((t) => t.startsWith('scope:'))) problems.push(`${dir}: needs a type:* and a scope:* tag, has ${JSON.stringify(tags)}`);
  if (dir.startsWith('libs/')) {
    const alias = `@bnpl/${path.basename(dir)}`;
    if (!fs.existsSync(path.join(root, dir, 'src/index.ts'))) problems.push(`${dir}: no src/index.ts`);
    if (JSON.stringify(tsPaths[alias]) !== JSON.stringify([`${dir}/src/index.ts`])) problems.push(`${dir}: alias ${alias} must map to ${dir}/src/index.ts`);
  }
}
if (problems.length) {
  for (const p of problems) console.error(`workspace: ${p}`);
  process.exit(1);
}
console.log(`workspace: ${projects.length} projects tagged, ${Object.keys(tsPaths).length} aliases consistent`);
