// Starts the PostgreSQL that the int and e2e suites of one jest run share (one server, a migrated template
// database, one cloned database per suite: startTestPostgres in libs/testing) and names, in process.env,
// the file in which it will announce itself; the jest workers started after this inherit the variable.
// It returns at once: the server starts while the workers load their first suites, and a suite that
// needs it waits for the announcement (createTestDatabase in libs/service-launchers).
//
// Every project's config (jest.preset.cjs) names this same file: jest collects the global setup paths of
// the projects it runs into a set, so a run of the root config with all projects starts one server, and
// a run of one project's config starts one too.
//
// The server lives in a detached process of its own (shared-postgres.cjs) that stops it and deletes its
// data directory when its standard input closes: global-teardown.cjs closes it; if jest is interrupted or
// killed, the operating system closes it.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

// TEST_POSTGRES_VARIABLE of libs/service-launchers/src/lib/test-database.ts.
const VARIABLE = 'BNPL_TEST_POSTGRES';
const HANDLE = Symbol.for('bnpl.sharedTestPostgres');

module.exports = async function globalSetup() {
  const announcement = path.join(tmpdir(), `bnpl-test-pg-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  // Its own process group: a Ctrl-C or a group kill aimed at jest does not cut the clean-up short.
  const child = spawn(process.execPath, [path.join(__dirname, 'shared-postgres.cjs'), announcement], { detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
  const handle = { child, announcement, stopping: false };
  let output = '';
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-8_000)));
  // Suites waiting for a server that is gone learn why at once instead of after their timeout.
  const gone = (why) => {
    if (handle.stopping) return;
    const previous = read(announcement);
    if (previous && previous.state === 'failed') return;
    announce(announcement, { state: 'failed', error: `${why}${output ? `:\n${output}` : ''}` });
  };
  child.once('exit', (code, signal) => gone(`the shared test PostgreSQL process exited (code ${code}, signal ${signal})`));
  child.once('error', (error) => gone(`the shared test PostgreSQL process did not start: ${error.message}`));
  process.env[VARIABLE] = announcement;
  globalThis[HANDLE] = handle;
  // The teardown ends it; until then it must not keep jest's event loop alive on its own.
  child.unref();
  child.stdin.unref();
  child.stderr.unref();
};

function read(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

// As writeSharedTestPostgresAnnouncement: no reader sees half of it.
function announce(file, contents) {
  writeFileSync(`${file}.tmp`, JSON.stringify(contents));
  renameSync(`${file}.tmp`, file);
}

module.exports.HANDLE = HANDLE;
module.exports.read = read;
