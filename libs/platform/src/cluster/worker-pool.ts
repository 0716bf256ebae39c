import cluster, { type Worker } from 'node:cluster';
import { answerCollection, type PoolMember } from './pool-messages';

export interface WorkerPoolOptions {
  readonly service: string;
  readonly workers: number;
  /** Writes one line of the primary's log. */
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Wait before a worker that died is started again. Default 1 000 ms. */
  readonly restartDelayMs?: number;
  /** Restarts allowed within `restartWindowMs` before the pool gives up and exits 1. Default 5 in 60 s. */
  readonly maxRestarts?: number;
  readonly restartWindowMs?: number;
  /** How long workers get to close on SIGTERM/SIGINT before they are killed. Default 20 000 ms. */
  readonly graceMs?: number;
}

/**
 * The primary process of a service run as `workers` processes sharing its ports (Node's cluster module:
 * the primary accepts connections and hands them to the workers in turn), so one instance uses several
 * cores. The primary serves nothing itself: it starts the workers, starts a worker again when one dies
 * (within a restart budget, so a worker that cannot start does not loop forever), merges the workers'
 * metrics for whichever worker is scraped, and on SIGTERM/SIGINT asks every worker to close and exits
 * when they have (0 when all closed cleanly).
 *
 * Each worker is the whole service (own connections, L1 cache, decision chain, feature-update
 * subscription): what a second instance would be, on the same port.
 */
export function runWorkerPool(options: WorkerPoolOptions): void {
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  const maxRestarts = options.maxRestarts ?? 5;
  const restartWindowMs = options.restartWindowMs ?? 60_000;
  const graceMs = options.graceMs ?? 20_000;
  const members = new Map<number, { worker: Worker; member: PoolMember }>();
  const restarts: number[] = [];
  let stopping = false;
  let failed = false;

  const live = () => [...members.values()].map((m) => m.member);
  // `index` (0 to workers - 1) names a slot of the pool, kept across restarts: the `worker` label of metrics.
  const start = (index: number) => {
    const worker = cluster.fork();
    const member: PoolMember = {
      index,
      send: (message) => worker.send(message as never),
      on: (event, listener) => worker.on(event, listener),
      off: (event, listener) => worker.off(event, listener),
    };
    members.set(index, { worker, member });
    worker.on('message', answerCollection(member, live));
    // The instance is ready as soon as one worker is; this says when each takes connections.
    worker.on('listening', (address) => options.log('info', `worker ${index} listening on port ${address.port}`));
    worker.once('exit', (code, signal) => {
      members.delete(index);
      if (stopping) {
        // A worker still starting has no handler yet: the SIGTERM sent to it ends it, as asked.
        if (code !== 0 && signal !== 'SIGTERM') {
          failed = true;
          options.log('error', `worker ${index} exited with code ${code} (signal ${signal}) while stopping`);
        }
        if (members.size === 0) process.exit(failed ? 1 : 0);
        return;
      }
      const now = Date.now();
      while (restarts.length > 0 && restarts[0] < now - restartWindowMs) restarts.shift();
      if (restarts.length >= maxRestarts) {
        options.log('error', `worker ${index} exited (code ${code}, signal ${signal}); ${restarts.length} restarts in ${restartWindowMs / 1000} s already: stopping the service`);
        failed = true;
        stop();
        if (members.size === 0) process.exit(1);
        return;
      }
      restarts.push(now);
      options.log('warn', `worker ${index} exited (code ${code}, signal ${signal}); starting it again in ${restartDelayMs} ms`);
      setTimeout(() => {
        if (!stopping) start(index);
      }, restartDelayMs);
    });
  };

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const { worker } of members.values()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      options.log('error', `workers still running ${graceMs} ms after the shutdown began: killing them`);
      for (const { worker } of members.values()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, graceMs).unref();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    options.log('info', `${signal} received: stopping ${members.size} workers`);
    stop();
    // Between a worker's death and its restart there may be none left to wait for.
    if (members.size === 0) process.exit(failed ? 1 : 0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  options.log('info', `${options.service}: starting ${options.workers} workers`);
  for (let i = 0; i < options.workers; i++) start(i);
}
