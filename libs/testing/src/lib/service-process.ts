import { existsSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { OutputTail, serviceNodeOptions, stopChild } from '@bnpl/service-launchers';
import { getJson, waitFor } from './wait-for';

export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything the process printed so far (last 64 KiB). */
  output(): string;
  /** Resolves with the exit code (null if killed by a signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/**
 * Runs an app's real entry point (`apps/<name>/src/main.ts`) as a child process, exactly as the
 * local stack and a container do, with `env` added to this process's environment.
 */
export function spawnService(app: string, env: Record<string, string>): ServiceProcess {
  const tail = new OutputTail(65_536);
  // BNPL_SERVICE_NODE_ARGS adds Node flags that NODE_OPTIONS refuses (e.g. `--cpu-prof --cpu-prof-dir=DIR`
  // to profile the services under a benchmark). BNPL_SERVICE_BUILT=1 runs the compiled app (`nx build
  // <app>`, what the image runs) instead of the sources, e.g. to measure its memory.
  const nodeArgs = (process.env.BNPL_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const built = join(WORKSPACE_ROOT, 'dist', app, 'apps', app, 'src/main.js');
  if (process.env.BNPL_SERVICE_BUILT === '1' && !existsSync(built)) throw new Error(`BNPL_SERVICE_BUILT=1 but ${built} is missing: run npx nx build ${app}`);
  const entry = process.env.BNPL_SERVICE_BUILT === '1' ? [built] : ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), join(WORKSPACE_ROOT, 'apps', app, 'src/main.ts')];
  // The app's own flags first (as its deployment sets them), then any the caller adds.
  const child = spawn(process.execPath, [...serviceNodeOptions(app), ...nodeArgs, ...entry], {
    cwd: WORKSPACE_ROOT,
    // In-process messaging unless a test points the service at the Pub/Sub emulator. Access control off
    // (the service logs it loudly) unless the suite turns it on: suites of access control, the local stack
    // and the benchmarks run with AUTH_MODE=on and keys from createTestApiKey.
    // A built app looks for proto/ beside its dist folder (the image copies it to /app/proto): point it at
    // the repository's, as the image's PROTO_DIR does.
    env: { ...process.env, MESSAGING: 'memory', AUTH_MODE: 'off', ...(built === entry[0] ? { PROTO_DIR: join(WORKSPACE_ROOT, 'proto') } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => tail.push(c));
  child.stderr?.on('data', (c: Buffer) => tail.push(c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  return { child, output: () => tail.toString(), exited, stop: () => stopChild(child, 'SIGTERM', 10_000) };
}

/** Waits until GET `url` answers `status` (default 200); includes the service's output in the error. */
export async function waitForHttp(service: ServiceProcess, url: string, status = 200, timeoutMs = 90_000): Promise<unknown> {
  try {
    // A process that exits while we wait fails the wait at once, not after the timeout.
    const exited = service.exited.then(({ code, signal }) => {
      throw new Error(`the process exited (code ${code}, signal ${signal}) before ${url} answered ${status}`);
    });
    const answered = waitFor(
      `${url} to answer ${status}`,
      async () => {
        const r = await getJson(url, 2_000);
        return r.status === status ? { body: r.body } : undefined;
      },
      timeoutMs,
      100,
    );
    return (await Promise.race([answered, exited])).body;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- service output ---\n${service.output()}`);
  }
}
