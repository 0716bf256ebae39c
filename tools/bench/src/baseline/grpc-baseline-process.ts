import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@bnpl/service-launchers';
import { type Cleanups } from '../stack/cleanups';
import { callGetOnlineFeaturesRaw } from '../targets/grpc-raw-client';
import { spawnBaselineProcess } from './baseline-process';

/** A GetOnlineFeatures request and grpc-serving's answer to it, as protobuf bytes. */
export interface CapturedCall {
  readonly request: Buffer;
  readonly response: Buffer;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts the bare grpc-js baseline (grpc-baseline.ts) as a child process answering each captured request
 * with its captured response. Resolves once it serves every captured call byte for byte.
 */
export async function startGrpcBaseline(calls: readonly CapturedCall[], scratchDir: string, cleanups: Cleanups): Promise<{ address: string; pid?: number }> {
  const answersFile = join(scratchDir, 'grpc-baseline-answers.json');
  writeFileSync(answersFile, JSON.stringify(calls.map((c) => [c.request.toString('base64'), c.response.toString('base64')])));
  const port = await freePort();
  const service = spawnBaselineProcess(join(__dirname, 'grpc-baseline.ts'), { BASELINE_PORT: String(port), BASELINE_ANSWERS: answersFile });
  cleanups.add('grpc-baseline', () => service.stop());
  const address = `127.0.0.1:${port}`;
  let exited: string | undefined;
  void service.exited.then(({ code, signal }) => (exited = `the process exited (code ${code}, signal ${signal})`));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      for (const call of calls) {
        const response = await callGetOnlineFeaturesRaw(address, call.request, {}, 2_000);
        if (!response.equals(call.response)) throw new Error('grpc-baseline answered other bytes than captured');
      }
      return { address, pid: service.child.pid };
    } catch (error) {
      if (exited || Date.now() > deadline) throw new Error(`grpc-baseline is not serving on ${address}: ${exited ?? (error as Error).message}\n--- its output ---\n${service.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
