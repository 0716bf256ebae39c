import type { OnlineStore } from '@bnpl/online-store';

/**
 * The stream watermark as this process last read it from the online store: the instant before which the
 * streaming path applied every source change (epoch ms; 0 before any is read). It only moves forward: an
 * older value read later (another writer, a restored backup) is ignored.
 */
export class StreamWatermark {
  #ms = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Pick<OnlineStore, 'readStreamWatermark'>) {}

  /** Epoch ms of the watermark; 0 when none was read. */
  get ms(): number {
    return this.#ms;
  }

  /**
   * Reads it now and then every `refreshMs` (a timer that does not keep the process alive). Does nothing
   * when `refreshMs` is 0 or the store keeps no watermark.
   */
  start(refreshMs: number): void {
    if (!(refreshMs > 0) || !this.store.readStreamWatermark || this.#timer) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), refreshMs);
    this.#timer.unref();
  }

  /**
   * Reads the watermark from the store. A store that cannot answer keeps the last one: rows then go STALE
   * as their TTLs pass, as they should while nobody can say they are current.
   */
  async refresh(): Promise<void> {
    try {
      const watermark = await this.store.readStreamWatermark?.();
      if (watermark) this.#ms = Math.max(this.#ms, watermark.getTime());
    } catch {
      // The online store's own failures are counted and logged by reads; the watermark just stays.
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
