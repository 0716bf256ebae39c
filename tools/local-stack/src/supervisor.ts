import { type ChildProcess } from 'node:child_process';
import { stopChild, waitForPort } from '@bnpl/service-launchers';

/** One run of a supervised thing: a process, or a server known by its port. */
export interface Instance {
  /** For logs, and for tests that kill it. */
  readonly pid?: number;
  /** Settles when it has stopped, whatever the reason. */
  readonly exited: Promise<string>;
  /** Stops it on purpose (nothing is restarted afterwards). */
  stop(): Promise<void>;
}

export interface Backoff {
  /** Delay before the first restart. */
  readonly initialMs: number;
  /** The delay doubles on each restart of a crash loop, up to this. */
  readonly maxMs: number;
  /** A run at least this long resets the delay: it was not a crash loop. */
  readonly stableAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000, stableAfterMs: 60_000 };

/**
 * Keeps one thing running, as a platform's restart policy does in production: when it stops without
 * being asked, it is started again after a delay that doubles while it keeps crashing (and resets once a
 * run lasts), with one line saying what happened and when it restarts, and one when it is back.
 */
export class Supervisor {
  #current: Instance | null = null;
  #stopping = false;
  #restarts = 0;
  #delay: number;
  #timer: NodeJS.Timeout | undefined;
  /** A restart's launch in flight: stop() waits for it, so that what it started is stopped too. */
  #launching: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly launch: () => Promise<Instance>,
    private readonly log: (line: string) => void,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {
    this.#delay = backoff.initialMs;
  }

  /** The running instance (null while restarting). */
  get current(): Instance | null {
    return this.#current;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** Starts the first instance; rejects when that fails (a broken set-up is reported, not retried). */
  async start(): Promise<void> {
    this.#watch(await this.launch());
  }

  /**
   * Stops restarting, leaving the instance running: a shutdown has begun, and whatever stops from now on
   * (Ctrl-C reaches the whole process group, redis-server and PostgreSQL included) stays stopped.
   */
  hold(): void {
    this.#stopping = true;
    clearTimeout(this.#timer);
  }

  /** Stops supervising and stops the instance (one a restart was launching too). */
  async stop(): Promise<void> {
    this.hold();
    await this.#launching;
    await this.#current?.stop();
  }

  #watch(instance: Instance): void {
    this.#current = instance;
    const startedAt = Date.now();
    void instance.exited.then((how) => {
      if (this.#stopping) return;
      this.#current = null;
      const ran = Date.now() - startedAt;
      if (ran >= this.backoff.stableAfterMs) this.#delay = this.backoff.initialMs;
      const delay = this.#delay;
      this.#delay = Math.min(this.#delay * 2, this.backoff.maxMs);
      this.#restarts++;
      this.log(`${this.name} stopped (${how}) after ${(ran / 1000).toFixed(1)} s: restarting in ${delay} ms (restart ${this.#restarts})`);
      this.#timer = setTimeout(() => void (this.#launching = this.#restart().finally(() => (this.#launching = null))), delay);
    });
  }

  async #restart(): Promise<void> {
    if (this.#stopping) return;
    try {
      const instance = await this.launch();
      if (this.#stopping) return void (await instance.stop());
      this.log(`${this.name} restarted${instance.pid ? ` (pid ${instance.pid})` : ''}`);
      this.#watch(instance);
    } catch (error) {
      // Could not start (a port still held, a dependency still down): try again after the next delay.
      const delay = this.#delay;
      this.#delay = Math.min(this.#delay * 2, this.backoff.maxMs);
      this.log(`${this.name} could not restart (${(error as Error).message}): trying again in ${delay} ms`);
      this.#timer = setTimeout(() => void this.#restart(), delay);
    }
  }
}

/** A child process as an Instance: it has stopped when it exits. */
export function processInstance(child: ChildProcess, graceMs = 15_000): Instance {
  const exited = new Promise<string>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(`exit code ${child.exitCode}, signal ${child.signalCode}`);
    else child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  return { pid: child.pid, exited, stop: () => stopChild(child, 'SIGTERM', graceMs) };
}

/**
 * A server known by its port as an Instance (redis-server, PostgreSQL, whose launchers keep their
 * process to themselves): it has stopped when its port refuses connections twice in a row.
 */
export function portInstance(port: number, stop: () => Promise<void>, pollMs = 500): Instance {
  let stopped = false;
  const exited = new Promise<string>((resolve) => {
    let misses = 0;
    const timer = setInterval(() => {
      if (stopped) return clearInterval(timer);
      waitForPort('127.0.0.1', port, 0).then(
        () => (misses = 0),
        () => {
          if (++misses < 2 || stopped) return;
          clearInterval(timer);
          resolve(`port ${port} stopped answering`);
        },
      );
    }, pollMs);
    timer.unref();
  });
  return {
    exited,
    stop: async () => {
      stopped = true;
      await stop();
    },
  };
}
