import { spawn, type ChildProcess } from 'node:child_process';

/** Sends `signal`, then SIGKILL after `graceMs` if the process is still alive; resolves on exit. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Keeps the last `max` characters of a stream's output, for error messages when a service fails to start. */
export class OutputTail {
  private text = '';
  constructor(private readonly max = 4_000) {}
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.max);
  }
  toString(): string {
    return this.text.trim();
  }
}

/** Thrown when a service could not bind its port (another process took it first); a retry on another port fixes it. */
export class PortTakenError extends Error {}

export interface SpawnUntilReadyOptions {
  /** Text the service logs (stdout or stderr) once it accepts connections. */
  readonly readyText: string;
  /** Output that, when the service exits, means its port was taken. */
  readonly portTaken: RegExp;
  /** Names the service in errors, e.g. `redis-server on port 6379`. */
  readonly what: string;
  readonly timeoutMs?: number;
}

/**
 * Spawns a service and resolves once it logs `readyText`. A TCP probe is not enough: a service can listen
 * on one port and still die binding another (Redis's cluster bus), and under parallel test suites another
 * process can hold the port and answer the probe. An exit before that rejects with the output (a
 * PortTakenError when it matches `portTaken`); the child is killed on any failure.
 */
export async function spawnUntilReady(bin: string, args: readonly string[], options: SpawnUntilReadyOptions): Promise<ChildProcess> {
  const tail = new OutputTail();
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const onOutput = (chunk: Buffer) => {
        tail.push(chunk);
        if (tail.toString().includes(options.readyText)) resolve();
      };
      child.stdout?.on('data', onOutput);
      child.stderr?.on('data', onOutput);
      child.once('exit', (code) => {
        const message = `${options.what} exited with ${code}:\n${tail}`;
        reject(options.portTaken.test(tail.toString()) ? new PortTakenError(message) : new Error(message));
      });
      timer = setTimeout(() => reject(new Error(`${options.what} was not ready after ${timeoutMs / 1000} s:\n${tail}`)), timeoutMs);
    });
  } catch (error) {
    await stopChild(child, 'SIGKILL', 1_000);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return child;
}

/** Runs `start` again, up to `attempts` times in all, while it fails with PortTakenError. */
export async function withPortRetries<T>(attempts: number, start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= attempts) throw error;
    }
  }
}

/** A service started on 127.0.0.1 as a child of this process. */
export interface LaunchedService {
  /** Where clients connect: `127.0.0.1`, or `127.0.0.1:PORT` where the service's clients expect that. */
  readonly host: string;
  readonly port: number;
  /** SIGTERM, waits for exit. */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash. */
  kill(): Promise<void>;
}

/** stop and kill of a launched service's process. */
export function stoppable(child: ChildProcess): Pick<LaunchedService, 'stop' | 'kill'> {
  return { stop: () => stopChild(child, 'SIGTERM', 5_000), kill: () => stopChild(child, 'SIGKILL', 1_000) };
}
