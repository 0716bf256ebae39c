import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { MissingBinaryError, findOnPath } from './binaries';
import { spawnUntilReady, stoppable, withPortRetries, type LaunchedService } from './child';
import { freePort } from './free-port';

const execFileAsync = promisify(execFile);

const WORKSPACE = resolve(__dirname, '../../../..');
const EMULATOR_SOURCE = join(WORKSPACE, 'tools/pubsub-emulator/main.go');
const PSTEST_PACKAGE = 'cloud.google.com/go/pubsub/pstest';
const INSTALL = 'apt-get install -y --no-install-recommends golang-go golang-google-cloud-dev (Debian/Ubuntu: the Go toolchain and the sources of Google\'s Pub/Sub fake, from which the emulator is built)';

export interface PubSubEmulatorOptions {
  /** TCP port; a free one when omitted. */
  port?: number;
  /** The project id clients should use (the emulator accepts any); default `bnpl-local`. */
  projectId?: string;
  /** Where the Debian Go packages keep their sources (GOPATH layout); default `/usr/share/gocode`. */
  goPath?: string;
  /** Where the built emulator is cached; default `node_modules/.cache/bnpl/pubsub-emulator`. */
  cacheDir?: string;
}

export interface RunningPubSubEmulator extends LaunchedService {
  /** `127.0.0.1:PORT`, with the port: the value of `PUBSUB_EMULATOR_HOST` for clients. */
  readonly host: string;
  readonly projectId: string;
}

/**
 * Starts a Pub/Sub emulator (Google's in-memory fake `pstest` behind `tools/pubsub-emulator/main.go`) on
 * 127.0.0.1, as a child of this process. The emulator is built on first use with the Debian Go packages
 * and cached under `cacheDir`, keyed by a hash of main.go, so a change to it rebuilds. Throws
 * MissingBinaryError naming the apt packages when `go` or the pstest sources are missing.
 * It holds everything in memory: every start is empty.
 */
export async function startPubSubEmulator(options: PubSubEmulatorOptions = {}): Promise<RunningPubSubEmulator> {
  const binary = await buildPubSubEmulator(options);
  // A port chosen here is free when checked, not reserved: another process may take it first. Then pick
  // another; a caller-given port is the caller's to retry.
  const { port, child } = await withPortRetries(options.port === undefined ? 5 : 1, async () => {
    const port = options.port ?? (await freePort());
    const child = await spawnUntilReady(binary, ['-host', '127.0.0.1', '-port', String(port)], {
      readyText: 'pubsub-emulator listening on',
      portTaken: /address already in use/i,
      what: `pubsub-emulator on port ${port}`,
    });
    return { port, child };
  });
  return { host: `127.0.0.1:${port}`, port, projectId: options.projectId ?? 'bnpl-local', ...stoppable(child) };
}

/** The path of the built emulator, building it first when the cache has no build of this main.go. */
export async function buildPubSubEmulator(options: Pick<PubSubEmulatorOptions, 'goPath' | 'cacheDir'> = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? join(WORKSPACE, 'node_modules/.cache/bnpl/pubsub-emulator');
  const source = readFileSync(EMULATOR_SOURCE);
  const binary = join(cacheDir, createHash('sha256').update(source).digest('hex').slice(0, 16), 'pubsub-emulator');
  if (existsSync(binary)) return binary;

  const go = findOnPath('go');
  if (!go) throw new MissingBinaryError('go', INSTALL);
  const goPath = options.goPath ?? '/usr/share/gocode';
  if (!existsSync(join(goPath, 'src', PSTEST_PACKAGE))) throw new MissingBinaryError(`${PSTEST_PACKAGE} (Go sources under ${goPath})`, INSTALL);

  mkdirSync(join(binary, '..'), { recursive: true });
  await withBuildLock(binary, async () => {
    const partial = `${binary}.${process.pid}.partial`;
    try {
      // GOPATH mode: Debian ships the Go libraries as sources in a GOPATH tree, not as modules.
      await execFileAsync(go, ['build', '-o', partial, EMULATOR_SOURCE], {
        cwd: join(binary, '..'),
        timeout: 300_000,
        env: { ...process.env, GO111MODULE: 'off', GOFLAGS: '', GOPATH: `${join(cacheDir, 'gopath')}:${goPath}`, GOCACHE: join(cacheDir, 'go-build') },
      });
    } catch (error) {
      rmSync(partial, { force: true });
      const output = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
      throw new Error(`building the Pub/Sub emulator from ${EMULATOR_SOURCE} failed:\n${output}`);
    }
    // A rename is atomic: another process never runs a half-written binary.
    renameSync(partial, binary);
  });
  return binary;
}

/**
 * Runs `build` unless another process is building the same binary, in which case it waits for that build.
 * Test suites start emulators in parallel workers; one build at a time keeps the 2 cores for one compile.
 */
async function withBuildLock(binary: string, build: () => Promise<void>): Promise<void> {
  const lock = `${binary}.lock`;
  const staleAfterMs = 10 * 60_000;
  for (;;) {
    if (existsSync(binary)) return;
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // A lock older than any build was left by a killed process.
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > staleAfterMs) rmSync(lock, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    if (!existsSync(binary)) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
