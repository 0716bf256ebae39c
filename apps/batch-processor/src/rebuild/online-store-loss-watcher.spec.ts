import { bnplCatalog } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore, ObservedOnlineStore } from '@bnpl/online-store';
import { GenerationMarker, MARKER_KEY, MARKER_VIEW } from './generation-marker';
import { OnlineStoreLossWatcher, REBUILD_REQUEST, type GenerationRecord, type GenerationRepository } from './online-store-loss-watcher';

/** PostgreSQL's row, in memory, with the same compare-and-set. */
class MemoryGenerations implements GenerationRepository {
  record: GenerationRecord | null = null;
  async current() {
    return this.record;
  }
  async initialize(startedAt: Date) {
    this.record ??= { generation: 1, startedAt, rebuildJobId: null };
    return this.record;
  }
  async claimNext(generation: number, startedAt: Date) {
    if (this.record?.generation !== generation) return null;
    this.record = { generation: generation + 1, startedAt, rebuildJobId: null };
    return this.record;
  }
  async recordRebuild(generation: number, jobId: string) {
    if (this.record?.generation === generation) this.record = { ...this.record, rebuildJobId: jobId };
  }
}

let namespaces = 0;

function setUp() {
  const backend = new InMemoryOnlineStore({ catalog: bnplCatalog, namespace: `loss-watcher-${++namespaces}` });
  const store = new ObservedOnlineStore({ inner: backend });
  const generations = new MemoryGenerations();
  const submitted: Array<{ request: unknown; key?: string }> = [];
  const lines: string[] = [];
  const jobs = { submit: async (request: unknown, options?: { idempotencyKey?: string }) => (submitted.push({ request, key: options?.idempotencyKey }), { id: `job-${submitted.length}` }) };
  const logger = { log: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
  const marker = new GenerationMarker(store, bnplCatalog);
  const watcher = (g: GenerationRepository = generations) => new OnlineStoreLossWatcher({ marker, generations: g, jobs, logger });
  return { backend, store, generations, submitted, lines, marker, watcher };
}

/** Empties the store as a restart without persistence would. */
async function lose(store: InMemoryOnlineStore): Promise<void> {
  await store.delete([MARKER_KEY]);
}

describe('OnlineStoreLossWatcher', () => {
  it('records the first population without rebuilding anything', async () => {
    const { watcher, submitted, marker, generations, lines } = setUp();
    expect(await watcher().check()).toBe('initialized');
    expect(await marker.read()).toEqual(generations.record?.startedAt);
    expect(submitted).toEqual([]);
    expect(lines).toEqual(['online store generation 1 recorded (first population: nothing to rebuild)']);
    expect(await watcher().check()).toBe('intact');
  });

  it('starts one rebuild when the store answers without its marker, visibly, and marks the new generation', async () => {
    const { watcher, submitted, marker, generations, lines, backend } = setUp();
    const w = watcher();
    await w.check();
    await lose(backend);
    expect(await w.check()).toBe('rebuild-started');
    expect(submitted).toEqual([{ request: REBUILD_REQUEST, key: 'online-store-rebuild-2' }]);
    expect(generations.record).toMatchObject({ generation: 2, rebuildJobId: 'job-1' });
    expect(await marker.read()).toEqual(generations.record?.startedAt);
    expect(lines.join('\n')).toMatch(/online store lost its data .* rebuilding it as generation 2 from PostgreSQL/);
    expect(lines.join('\n')).toMatch(/rebuild started: job job-1/);
    // Once: later checks find the new marker.
    expect(await w.check()).toBe('intact');
    expect(submitted).toHaveLength(1);
    expect(w.stats()).toMatchObject({ rebuilds: 1, generation: 2 });
  });

  it('lets one of two instances rebuild (compare-and-set in PostgreSQL)', async () => {
    const { watcher, submitted, backend } = setUp();
    const [a, b] = [watcher(), watcher()];
    await a.check();
    await lose(backend);
    const outcomes = await Promise.all([a.check(), b.check()]);
    expect(outcomes.sort()).toEqual(['rebuild-claimed-elsewhere', 'rebuild-started']);
    expect(submitted).toHaveLength(1);
  });

  it('tells nothing while the store is down, and tries again after a failed submission', async () => {
    const { watcher, store, submitted, backend, generations } = setUp();
    const w = watcher();
    await w.check();
    store.down = true;
    expect(await w.check()).toBe('unknown');
    store.down = false;
    await lose(backend);
    const failing = new OnlineStoreLossWatcher({
      marker: new GenerationMarker(store, bnplCatalog),
      generations,
      jobs: { submit: async () => Promise.reject(new Error('queue unavailable')) },
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
    });
    expect(await failing.check()).toBe('unknown');
    expect(await w.check()).toBe('rebuild-started');
    expect(submitted).toHaveLength(1);
  });

  it('keeps the marker where every adapter keeps rows (a customer row no source id reaches)', () => {
    expect(MARKER_KEY).toEqual({ entity: 'customer', id: '9223372036854775807' });
    expect(bnplCatalog.getView(MARKER_VIEW).entity.name).toBe('customer');
  });
});
