// Stops the PostgreSQL of global-setup.cjs: closing the server process's standard input asks it to stop the
// server and delete its data directory. If it has not exited within the grace time, its process group
// (it and PostgreSQL) is killed and the directory deleted here.
const { rmSync } = require('node:fs');
const path = require('node:path');
const { HANDLE, read } = require('./global-setup.cjs');

const GRACE_MS = 30_000;

module.exports = async function globalTeardown() {
  const handle = globalThis[HANDLE];
  if (!handle) return;
  delete globalThis[HANDLE];
  handle.stopping = true;
  const { child, announcement } = handle;
  const announced = read(announcement);
  try {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // The setup unref'd it; waiting for its exit must keep jest alive.
    child.ref();
    const exited = new Promise((resolve) => child.once('exit', () => resolve(true)));
    child.stdin.end();
    const timer = new Promise((resolve) => setTimeout(() => resolve(false), GRACE_MS).unref());
    if (await Promise.race([exited, timer])) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
    await exited;
    if (announced && announced.dataDir) rmSync(path.dirname(announced.dataDir), { recursive: true, force: true });
  } finally {
    rmSync(announcement, { force: true });
    rmSync(`${announcement}.tmp`, { force: true });
  }
};
