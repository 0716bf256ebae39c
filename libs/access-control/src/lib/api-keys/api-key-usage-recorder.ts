import type { ApiKeyStore } from './api-key-store.port';

/**
 * Records when keys were last used without a write per request: ids are collected in memory and written
 * in one `touch` per interval (so `lastUsedAt` is exact to within `intervalMs`). A failed write is
 * retried with the next batch; `close` writes what is pending.
 */
export class ApiKeyUsageRecorder {
  private pending = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly store: Pick<ApiKeyStore, 'touch'>,
    intervalMs = 60_000,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  used(keyId: string): void {
    this.pending.add(keyId);
  }

  /** Writes the ids collected so far; resolves when written (or failed, reported to `onError`). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.size === 0) return Promise.resolve();
    const ids = [...this.pending];
    this.pending = new Set();
    this.flushing = this.store
      .touch(ids, new Date())
      .catch((error: unknown) => {
        for (const id of ids) this.pending.add(id);
        this.onError(error);
      })
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
