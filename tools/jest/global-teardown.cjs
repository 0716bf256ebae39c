// Stops the PostgreSQL of global-setup.cjs: closing the server process's standard input asks it to stop the
// server and delete the data directory. If it has not exited within the grace time, its process group
// (it and PostgreSQL) is killed and the directory deleted here.
const { rmSync } = require('node:fs');
const path = require('node:path');
const { HANDLE, killGroup } = require('./global-setup.cjs');

const GRACE_MS = 30_000;

module.exports = async function globalTeardown() {
  const handle = globalThis[HANDLE];
  if (!handle) return;
  delete globalThis[HANDLE];
  const { child, dataDir } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return;
  // The setup unref'd it; waiting for its exit must keep jest alive.
  child.ref();
  const exited = new Promise((resolve) => child.once('exit', () => resolve(true)));
  child.stdin.end();
  const timer = new Promise((resolve) => setTimeout(() => resolve(false), GRACE_MS).unref());
  if (await Promise.race([exited, timer])) return;
  killGroup(child);
  await exited;
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
};
