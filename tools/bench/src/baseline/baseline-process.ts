import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, OutputTail, stopChild } from '@bnpl/service-launchers';
import { waitForHttp, WORKSPACE_ROOT, type ServiceProcess } from '@bnpl/testing';
import { type Cleanups } from '../stack/cleanups';
import { restFeaturePath } from '../targets/feature-request';

/**
 * Starts the Fastify baseline (fastify-baseline.ts) as a child process serving `bodies` (rest-gateway's
 * bodies by customer id): customer N gets the body of the captured customer with the same N modulo their
 * count. Resolves once it answers.
 */
export async function startBaseline(bodies: ReadonlyMap<number, string>, merchants: number, scratchDir: string, cleanups: Cleanups): Promise<{ origin: string; pid?: number }> {
  const byKey: Array<[number, unknown]> = [...bodies].map(([id, text]) => [id % bodies.size, JSON.parse(text)]);
  const bodiesFile = join(scratchDir, 'baseline-bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(byKey));
  const port = await freePort();
  const service = spawnBaselineProcess(join(__dirname, 'fastify-baseline.ts'), { BASELINE_PORT: String(port), BASELINE_BODIES: bodiesFile });
  cleanups.add('fastify-baseline', () => service.stop());
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(service, `${origin}${restFeaturePath(1, merchants)}`, 200, 30_000);
  return { origin, pid: service.child.pid };
}

/**
 * A baseline script (TypeScript, run through tools/register.cjs) as a child process with `env` added to
 * this one's, in the shape spawnService gives the apps (so the same readiness wait applies).
 */
export function spawnBaselineProcess(script: string, env: Readonly<Record<string, string>>): ServiceProcess {
  const tail = new OutputTail(16_384);
  const child = spawn(process.execPath, ['-r', join(WORKSPACE_ROOT, 'tools/register.cjs'), script], {
    cwd: WORKSPACE_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => tail.push(c));
  child.stderr?.on('data', (c: Buffer) => tail.push(c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => tail.toString(), exited, stop: () => stopChild(child, 'SIGTERM', 5_000) };
}
