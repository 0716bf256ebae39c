// Starts the PostgreSQL that the int and e2e suites of one jest run share (one server, a migrated template
// database, one cloned database per suite: startTestPostgres in libs/testing), and publishes its template
// URL in process.env, which the jest workers started after this inherit.
//
// Every project's config (jest.preset.cjs) names this same file: jest collects the global setup paths of
// the projects it runs into a set, so a run of the root config with all projects starts one server, and
// a run of one project's config starts one too.
//
// The server lives in a detached process of its own (shared-postgres.cjs) that stops it and deletes its
// data directory when its standard input closes: global-teardown.cjs closes it; if jest is interrupted or
// killed, the operating system closes it.
const { spawn } = require('node:child_process');
const path = require('node:path');

const HANDLE = Symbol.for('bnpl.sharedTestPostgres');
const START_TIMEOUT_MS = 120_000;

module.exports = async function globalSetup() {
  // Its own process group: a Ctrl-C or a group kill aimed at jest does not cut the clean-up short.
  const child = spawn(process.execPath, [path.join(__dirname, 'shared-postgres.cjs')], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  try {
    const ready = await new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-8_000)));
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const newline = stdout.indexOf('\n');
        if (newline < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(stdout.slice(0, newline)));
        } catch (error) {
          reject(new Error(`unreadable ready line ${JSON.stringify(stdout.slice(0, newline))}: ${error.message}`));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`it exited (code ${code}, signal ${signal})`));
      });
      child.once('error', reject);
    });
    Object.assign(process.env, ready.env);
    globalThis[HANDLE] = { child, dataDir: ready.dataDir };
  } catch (error) {
    killGroup(child);
    throw new Error(`the shared test PostgreSQL did not start: ${error.message}\n${output}`);
  }
  // The teardown ends it; until then it must not keep jest's event loop alive on its own.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream.unref();
};

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
module.exports.killGroup = killGroup;
module.exports.HANDLE = HANDLE;
