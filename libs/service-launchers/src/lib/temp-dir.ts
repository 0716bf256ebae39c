import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh directory under the OS temp dir, mode 0755 so that a service running as another OS user
 * (PostgreSQL runs as `postgres` when we are root) can reach a data directory inside it.
 */
export function makeTempDir(prefix = 'bnpl-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
