// Every project's suite of one kind (TEST_KIND = unit | int | e2e) in one jest run, for CI and
// `npm run test:all`. Per-project runs use the project's own jest.config.cjs (nx test / int-test / e2e).
const fs = require('node:fs');
const path = require('node:path');

const projects = [];
for (const group of ['apps', 'libs', 'tools']) {
  for (const name of fs.readdirSync(path.join(__dirname, group))) {
    const dir = path.join(__dirname, group, name);
    if (fs.existsSync(path.join(dir, 'jest.config.cjs'))) projects.push(dir);
  }
}

// Every project's int and e2e config names the same global setup and teardown (jest.preset.cjs): jest runs
// each distinct path once per run, so all projects share one PostgreSQL.
// testTimeout is a global option: jest ignores it inside `projects`, so the preset's value is repeated here.
const kind = process.env.TEST_KIND || 'unit';
module.exports = { projects, testTimeout: kind === 'unit' ? 5_000 : 120_000 };
