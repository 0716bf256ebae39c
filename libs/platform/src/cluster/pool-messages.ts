import cluster from 'node:cluster';
import { mergeWorkerExpositions, type WorkerExposition } from './worker-metrics';

/**
 * Whether this process is a worker of a service's pool (runWorkerPool is the only code that forks cluster
 * workers). Workers need not know their index: the primary labels each worker's metrics itself.
 */
export function inWorkerPool(): boolean {
  return cluster.isWorker;
}

/** The messages of the metrics exchange between a pool's primary and its workers (IPC). */
type PoolMessage =
  | { readonly bnpl: 'metrics-collect'; readonly id: number }
  | { readonly bnpl: 'metrics-collected'; readonly id: number; readonly text: string }
  | { readonly bnpl: 'metrics-render'; readonly id: number }
  | { readonly bnpl: 'metrics-rendered'; readonly id: number; readonly text: string };

function isPoolMessage(message: unknown): message is PoolMessage {
  return typeof message === 'object' && message !== null && typeof (message as { bnpl?: unknown }).bnpl === 'string' && typeof (message as { id?: unknown }).id === 'number';
}

/** How long a collection waits for the workers' answers; a worker that has not answered by then is left out. */
export const COLLECT_TIMEOUT_MS = 2_000;

/**
 * Worker side: answers the primary's render requests with `render()` (this worker's own metrics). Returns
 * the function that stops answering.
 */
export function answerRenderRequests(render: () => Promise<string>): () => void {
  const onMessage = (message: unknown) => {
    if (!isPoolMessage(message) || message.bnpl !== 'metrics-render') return;
    render().then(
      (text) => process.send?.({ bnpl: 'metrics-rendered', id: message.id, text } satisfies PoolMessage),
      () => process.send?.({ bnpl: 'metrics-rendered', id: message.id, text: '' } satisfies PoolMessage),
    );
  };
  process.on('message', onMessage);
  return () => process.off('message', onMessage);
}

let nextCollection = 0;

/** Worker side: the metrics of every worker of the pool, merged by the primary (see mergeWorkerExpositions). */
export function collectPoolMetrics(timeoutMs = COLLECT_TIMEOUT_MS * 2): Promise<string> {
  const id = ++nextCollection;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the worker pool did not answer a metrics collection'));
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      if (!isPoolMessage(message) || message.bnpl !== 'metrics-collected' || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve(message.text);
    };
    process.on('message', onMessage);
    process.send?.({ bnpl: 'metrics-collect', id } satisfies PoolMessage);
  });
}

/** A worker as the primary sees it: its pool index and IPC channel. */
export interface PoolMember {
  readonly index: number;
  send(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  off(event: 'message', listener: (message: unknown) => void): void;
}

/**
 * Primary side: when `from` asks for the pool's metrics, asks every live worker for its own (`members()`),
 * waits up to `timeoutMs`, and answers with their merge.
 */
export function answerCollection(from: PoolMember, members: () => readonly PoolMember[], timeoutMs = COLLECT_TIMEOUT_MS): (message: unknown) => void {
  return (message: unknown) => {
    if (!isPoolMessage(message) || message.bnpl !== 'metrics-collect') return;
    const requestId = message.id;
    const renderId = ++nextCollection;
    const expositions = members().map(
      (member) =>
        new Promise<WorkerExposition | null>((resolve) => {
          const timer = setTimeout(() => done(null), timeoutMs);
          const listener = (answer: unknown) => {
            if (isPoolMessage(answer) && answer.bnpl === 'metrics-rendered' && answer.id === renderId) done({ worker: member.index, text: answer.text });
          };
          const done = (exposition: WorkerExposition | null) => {
            clearTimeout(timer);
            member.off('message', listener);
            resolve(exposition);
          };
          member.on('message', listener);
          try {
            member.send({ bnpl: 'metrics-render', id: renderId } satisfies PoolMessage);
          } catch {
            done(null);
          }
        }),
    );
    void Promise.all(expositions).then((answers) => {
      const text = mergeWorkerExpositions(answers.filter((a): a is WorkerExposition => a !== null));
      try {
        from.send({ bnpl: 'metrics-collected', id: requestId, text } satisfies PoolMessage);
      } catch {
        // The asking worker has gone: nobody to answer.
      }
    });
  };
}
