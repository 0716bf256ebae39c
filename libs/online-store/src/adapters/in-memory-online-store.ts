import { type OnlineStore } from '../lib/online-store.port';

/**
 * An online store held in this process's memory: for unit tests and for the local stack on a machine
 * without redis-server. Instances with the same namespace share their data, which is how the four apps
 * see one store when the local stack runs them inside one process; it is never shared across processes.
 */
export class InMemoryOnlineStore implements OnlineStore {
  readonly kind = 'memory';
  private static readonly namespaces = new Map<string, Map<string, unknown>>();
  private closed = false;
  /** The namespace's data (shared by every instance with the same namespace). */
  protected readonly data: Map<string, unknown>;

  constructor(readonly namespace = 'default') {
    let data = InMemoryOnlineStore.namespaces.get(namespace);
    if (!data) InMemoryOnlineStore.namespaces.set(namespace, (data = new Map()));
    this.data = data;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('in-memory online store is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
