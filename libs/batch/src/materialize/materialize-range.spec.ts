import { bnplCatalog, type EntityFeatureRow, type SourceFeatureReader } from '@bnpl/feature-definitions';
import type { OnlineRow, OnlineStore, WriteOptions } from '@bnpl/online-store';
import type { FeatureHistoryRow, FeatureHistorySink } from '../ports/feature-history-sink.port';
import { materializeRange, type RangeProgress } from './materialize-range';

const AS_OF = new Date('2025-03-15T00:00:00Z');

/** A source where customers `existing` exist; every view's row is `{ kyc_level: id }`-like. */
function fakeSource(existing: (id: number) => boolean, delayMs = 0) {
  const calls: Array<{ view: string; from: string; to: string }> = [];
  const source: SourceFeatureReader = {
    readView: async () => [],
    readViewRange: async (view, from, to) => {
      calls.push({ view, from, to });
      // Later chunks answer sooner, so chunks finish out of order.
      await new Promise((r) => setTimeout(r, delayMs ? delayMs * (1 + (Number(to) % 3)) : 0));
      const rows: EntityFeatureRow[] = [];
      for (let id = Number(from); id <= Number(to); id++) if (existing(id)) rows.push({ entityId: String(id), features: { marker: id } });
      return rows;
    },
  };
  return { source, calls };
}

function fakeOnline() {
  const writes: Array<{ rows: readonly OnlineRow[]; options?: WriteOptions }> = [];
  const store = {
    kind: 'fake',
    read: async () => [],
    write: async (rows: readonly OnlineRow[], options?: WriteOptions) => (writes.push({ rows, options }), { written: rows.length, skipped: 0 }),
    delete: async () => undefined,
    ping: async () => undefined,
    close: async () => undefined,
  } satisfies OnlineStore;
  return { store, writes };
}

const customerViews = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name);

describe('materializeRange', () => {
  it('writes every view of every existing entity once, in if-newer mode (a streamed row written since stays), with asOf as event time', async () => {
    const { source } = fakeSource((id) => id % 10 !== 0);
    const { store, writes } = fakeOnline();
    const history: Array<{ view: string; rows: readonly FeatureHistoryRow[] }> = [];
    const sink: FeatureHistorySink = { writeFeatureRows: async (view, rows) => void history.push({ view, rows }) };

    const result = await materializeRange({ catalog: bnplCatalog, source, online: store, history: sink }, { views: customerViews, fromId: '1', toId: '95', asOf: AS_OF, chunkSize: 20 });

    expect(result).toEqual({ doneThroughId: '95', rows: 86 * customerViews.length, entities: 86 });
    const written = writes.flatMap((w) => w.rows);
    expect(writes.every((w) => w.options?.mode === 'if-newer')).toBe(true);
    expect(new Set(written.map((r) => `${r.view}:${r.key.id}`)).size).toBe(written.length);
    expect(written).toHaveLength(86 * customerViews.length);
    expect(written.every((r) => r.eventTime === AS_OF && r.key.entity === 'customer')).toBe(true);
    expect(history.flatMap((h) => h.rows)).toHaveLength(86 * customerViews.length);
  });

  it('reads all the views of a chunk in one call where the source offers it, writing what per-view reads write', async () => {
    const perView = fakeSource((id) => id % 7 !== 0);
    const combinedCalls: Array<{ views: readonly string[]; from: string; to: string }> = [];
    const combined: SourceFeatureReader = {
      ...perView.source,
      readViewsRange: async (views, from, to, asOf) => {
        combinedCalls.push({ views, from, to });
        return Promise.all(views.map((v) => fakeSource((id) => id % 7 !== 0).source.readViewRange(v, from, to, asOf)));
      },
    };
    const run = async (source: SourceFeatureReader) => {
      const { store, writes } = fakeOnline();
      await materializeRange({ catalog: bnplCatalog, source, online: store }, { views: customerViews, fromId: '1', toId: '50', asOf: AS_OF, chunkSize: 20 });
      return writes.flatMap((w) => w.rows).map((r) => `${r.view}:${r.key.id}:${JSON.stringify(r.values)}`).sort();
    };
    const viaCombined = await run(combined);
    expect(perView.calls).toHaveLength(0);
    expect(combinedCalls.map((c) => [c.from, c.to])).toEqual([['1', '20'], ['21', '40'], ['41', '50']]);
    expect(combinedCalls.every((c) => c.views.join() === customerViews.join())).toBe(true);
    expect(viaCombined).toEqual(await run(fakeSource((id) => id % 7 !== 0).source));
    expect(viaCombined.length).toBeGreaterThan(0);
  });

  it('reports checkpoints in id order even when chunks finish out of order', async () => {
    const { source } = fakeSource(() => true, 2);
    const { store } = fakeOnline();
    const checkpoints: RangeProgress[] = [];
    await materializeRange({ catalog: bnplCatalog, source, online: store }, {
      views: ['customer_profile'],
      fromId: '1',
      toId: '100',
      asOf: AS_OF,
      chunkSize: 10,
      concurrency: 4,
      onCheckpoint: (p) => void checkpoints.push(p),
    });
    expect(checkpoints.map((c) => Number(c.doneThroughId))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(checkpoints.at(-1)).toMatchObject({ rows: 100, entities: 100 });
  });

  it('resumes after a checkpoint without reading the ids before it again', async () => {
    const { source, calls } = fakeSource(() => true);
    const { store, writes } = fakeOnline();
    const result = await materializeRange({ catalog: bnplCatalog, source, online: store }, { views: ['customer_profile'], fromId: '1', toId: '50', asOf: AS_OF, chunkSize: 20, resumeAfter: '30' });
    expect(calls.map((c) => [c.from, c.to])).toEqual([['31', '50']]);
    expect(writes.flatMap((w) => w.rows.map((r) => r.key.id))[0]).toBe('31');
    expect(result).toEqual({ doneThroughId: '50', rows: 20, entities: 20 });
  });

  it('fails the range when a write fails, without reporting a checkpoint past it', async () => {
    const { source } = fakeSource(() => true);
    const { store } = fakeOnline();
    store.write = async (rows) => {
      if (rows.some((r) => r.key.id === '25')) throw new Error('redis down');
      return { written: rows.length, skipped: 0 };
    };
    const checkpoints: string[] = [];
    await expect(
      materializeRange({ catalog: bnplCatalog, source, online: store }, { views: ['customer_profile'], fromId: '1', toId: '40', asOf: AS_OF, chunkSize: 10, concurrency: 1, onCheckpoint: (p) => void checkpoints.push(p.doneThroughId) }),
    ).rejects.toThrow('redis down');
    expect(checkpoints).toEqual(['10', '20']);
  });

  it('rejects views of different entities', async () => {
    const { source } = fakeSource(() => true);
    const { store } = fakeOnline();
    await expect(materializeRange({ catalog: bnplCatalog, source, online: store }, { views: ['customer_profile', 'merchant_risk'], fromId: '1', toId: '2', asOf: AS_OF })).rejects.toThrow(/one entity/);
  });
});
