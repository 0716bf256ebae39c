import { bnplCatalog } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore, ObservedOnlineStore } from '@bnpl/online-store';
import { StreamWatermark } from './stream-watermark';

const T = new Date('2025-03-15T12:00:00.000Z').getTime();
const newStore = () => new ObservedOnlineStore({ catalog: bnplCatalog });
let namespaces = 0;
/** Another backend (a lagging replica, a restored backup) holding `watermark`, or none. */
async function backendWith(watermark: Date | null): Promise<InMemoryOnlineStore> {
  const backend = new InMemoryOnlineStore({ catalog: bnplCatalog, namespace: `stream-watermark-spec-${++namespaces}` });
  if (watermark) await backend.writeStreamWatermark(watermark);
  return backend;
}

describe('StreamWatermark', () => {
  it('is 0 until read, then moves forward only: an older or absent watermark, or a failing store, leaves it', async () => {
    const store = newStore();
    const watermark = new StreamWatermark(store);
    expect(watermark.ms).toBe(0);

    await watermark.refresh();
    expect(watermark.ms).toBe(0); // none stored yet

    await store.inner.writeStreamWatermark?.(new Date(T));
    await watermark.refresh();
    expect(watermark.ms).toBe(T);

    // A store never moves its own watermark back; a failover to a lagging replica, or a restored backup, does.
    store.failOver(await backendWith(new Date(T - 60_000)));
    await watermark.refresh();
    expect(watermark.ms).toBe(T);

    store.failOver(await backendWith(null));
    await watermark.refresh();
    expect(watermark.ms).toBe(T);

    await store.inner.writeStreamWatermark?.(new Date(T + 1_000));
    store.down = true;
    await expect(watermark.refresh()).resolves.toBeUndefined();
    expect(watermark.ms).toBe(T);
  });

  describe('polling', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('reads at start and then every interval, until stopped', async () => {
      const store = newStore();
      await store.inner.writeStreamWatermark?.(new Date(T));
      const watermark = new StreamWatermark(store);

      watermark.start(1_000);
      await jest.advanceTimersByTimeAsync(0);
      expect(watermark.ms).toBe(T);

      await store.inner.writeStreamWatermark?.(new Date(T + 5_000));
      await jest.advanceTimersByTimeAsync(999);
      expect(watermark.ms).toBe(T);
      await jest.advanceTimersByTimeAsync(1);
      expect(watermark.ms).toBe(T + 5_000);

      watermark.stop();
      await store.inner.writeStreamWatermark?.(new Date(T + 9_000));
      await jest.advanceTimersByTimeAsync(5_000);
      expect(watermark.ms).toBe(T + 5_000);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('does not poll with an interval of 0, nor a store that keeps no watermark', async () => {
      const off = newStore();
      await off.inner.writeStreamWatermark?.(new Date(T));
      const notPolled = new StreamWatermark(off);
      notPolled.start(0);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(notPolled.ms).toBe(0);

      const without = new ObservedOnlineStore({ inner: Object.assign(await backendWith(new Date(T)), { readStreamWatermark: undefined }) });
      const watermark = new StreamWatermark(without);
      watermark.start(1_000);
      await watermark.refresh();

      expect(jest.getTimerCount()).toBe(0);
      expect(watermark.ms).toBe(0);
    });
  });
});
