import { bnplCatalog, evaluateViewTiles, summariseViewTiles, type SourceRow, type SourceTilesReader, type ViewTiles } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore } from '@bnpl/online-store';
import type { ChangeFeed, ChangeFeedHandler, ChangeFeedStatus, SourceChange, SourceTransaction } from '../ports/change-feed.port';
import type { ChangeLog, RecordedChange } from '../ports/change-log.port';
import type { StreamHistoryRow, StreamHistorySink } from '../ports/stream-history-sink.port';
import { CdcIngestor } from './cdc-ingestor';

const T0 = Date.UTC(2024, 10, 24, 12, 0, 0);
const at = (ms: number) => new Date(T0 + ms);

/** A feed the test drives; `gate` holds the source reads of a batch so that later transactions queue behind it. */
class Feed implements ChangeFeed {
  handler?: ChangeFeedHandler;
  readonly acks: string[] = [];
  async start(handler: ChangeFeedHandler) {
    this.handler = handler;
    return { slotCreated: true };
  }
  async acknowledge(lsn: string) {
    this.acks.push(lsn);
  }
  async waitVisible(): Promise<void> {
    return undefined;
  }
  async status(): Promise<ChangeFeedStatus> {
    return { slotExists: true, streaming: true, lagBytes: 0 };
  }
  async stop(): Promise<void> {
    return undefined;
  }
}

/** Customers 1..9 exist; the tiles come from their rows (no source rows: the values are the attributes). */
class Tiles implements SourceTilesReader {
  gate: Promise<void> | null = null;
  async readViewTiles(viewName: string, ids: readonly string[], asOf: Date): Promise<Array<ViewTiles | null>> {
    if (this.gate) await this.gate;
    const view = bnplCatalog.getView(viewName);
    const row = (id: string): SourceRow | null =>
      Number(id) < 10 ? { id, country: 'GB', currency: 'EUR', kyc_level: Number(id) % 4, credit_limit_minor: 100 * Number(id), status: 'active', created_at: new Date(T0 - 86_400_000), updated_at: new Date(T0) } : null;
    return ids.map((id) => summariseViewTiles(view, row(id), {}, asOf));
  }
}

class Recorder implements ChangeLog, StreamHistorySink {
  readonly opened: Array<[Date, boolean]> = [];
  readonly changes: RecordedChange[] = [];
  readonly rows: StreamHistoryRow[] = [];
  failHistory = 0;
  async open(when: Date, gap: boolean) {
    this.opened.push([when, gap]);
  }
  readonly completeThrough: Date[] = [];
  async markComplete(through: Date) {
    this.completeThrough.push(through);
  }
  async record(items: readonly (RecordedChange | StreamHistoryRow)[]) {
    for (const item of items) {
      if ('values' in item) {
        if (this.failHistory > 0) {
          this.failHistory--;
          throw new Error('pubsub down');
        }
        this.rows.push(item);
      } else this.changes.push(item);
    }
  }
}

const customer = (id: string, columns: Record<string, unknown> = {}): SourceChange => ({
  schema: 'public',
  table: 'customers',
  op: 'update',
  columns: Object.keys(bnplCatalog.getSource('customers').columns),
  newRow: { id, kyc_level: 2, credit_limit_minor: 5, ...columns },
});
const orderMove = (from: string, to: string): SourceChange => ({
  schema: 'public',
  table: 'orders',
  op: 'update',
  columns: Object.keys(bnplCatalog.getSource('orders').columns),
  oldRow: { id: '1', customer_id: from, merchant_id: '3', amount_minor: 10, currency: 'EUR', installment_count: 1, status: 'active', created_at: at(0), updated_at: at(0) },
  newRow: { id: '1', customer_id: to, merchant_id: '3', amount_minor: 10, currency: 'EUR', installment_count: 1, status: 'active', created_at: at(0), updated_at: at(5) },
});
const tx = (lsn: string, commitMs: number, changes: SourceChange[], truncatedTables: string[] = []): SourceTransaction => ({ lsn, commitTime: at(commitMs), changes, truncatedTables });

async function setup() {
  const feed = new Feed();
  const tiles = new Tiles();
  const recorder = new Recorder();
  const clock = { now: T0 + 1_000 };
  const ingestor = new CdcIngestor(
    { catalog: bnplCatalog, feed, tiles, online: new InMemoryOnlineStore({ catalog: bnplCatalog }), changeLog: recorder, history: recorder },
    { retryInitialMs: 1, retryMaxMs: 2, clock: () => clock.now },
  );
  await ingestor.start();
  return { feed, tiles, recorder, clock, ingestor };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('CdcIngestor: the history and the change log of what it applies', () => {
  it('dates each recomputed row at the commit of the latest transaction that changed it, before acknowledging', async () => {
    const t = await setup();
    expect(t.recorder.opened).toEqual([[at(1_000), true]]);
    void t.feed.handler?.onTransaction(tx('0/1', 100, [customer('1')]));
    void t.feed.handler?.onTransaction(tx('0/2', 200, [customer('2')]));
    void t.feed.handler?.onTransaction(tx('0/3', 300, [customer('1', { kyc_level: 3 })]));
    await until(() => t.feed.acks.includes('0/3'), 'the acknowledgement');
    const byKey = (rows: readonly StreamHistoryRow[]) => Object.fromEntries(rows.map((r) => [`${r.view}/${r.entityId}`, r.eventTime.getTime() - T0]));
    // An update without its old row reaches every view of the customer.
    const views = bnplCatalog.views.filter((v) => v.entity.name === 'customer').map((v) => v.name);
    expect(byKey(t.recorder.rows)).toEqual(Object.fromEntries(views.flatMap((v) => [[`${v}/1`, 300], [`${v}/2`, 200]])));
    const profile1 = t.recorder.rows.find((r) => r.view === 'customer_profile' && r.entityId === '1');
    const tiles = (await t.tiles.readViewTiles('customer_profile', ['1'], at(1_000)))[0] as ViewTiles;
    expect(profile1).toMatchObject({ entity: 'customer', readAt: at(1_000), values: evaluateViewTiles(bnplCatalog.getView('customer_profile'), tiles, tiles.asOfDay) });
    // Batches may split the three transactions: the log keeps the latest time per key.
    const latest = new Map<string, number>();
    for (const c of t.recorder.changes) latest.set(`${c.view}/${c.entityId}`, Math.max(latest.get(`${c.view}/${c.entityId}`) ?? 0, c.changedAt.getTime() - T0));
    expect(Object.fromEntries(latest)).toEqual(byKey(t.recorder.rows));
    // With the stream watermark, the log is complete up to the last applied commit.
    await t.ingestor.publishWatermark();
    expect(t.recorder.completeThrough).toEqual([at(300)]);
    await t.ingestor.stop(200);
  });

  it('records both customers of a moved order in the change log, and restarts the log at a TRUNCATE', async () => {
    const t = await setup();
    void t.feed.handler?.onTransaction(tx('0/1', 100, [orderMove('4', '5')]));
    void t.feed.handler?.onTransaction(tx('0/2', 200, [], ['payments']));
    await until(() => t.feed.acks.includes('0/2'), 'the acknowledgement');
    expect(new Set(t.recorder.changes.filter((c) => c.entity === 'customer').map((c) => c.entityId))).toEqual(new Set(['4', '5']));
    // The merchant's views read nothing the move changed.
    expect(t.recorder.changes.filter((c) => c.entity === 'merchant')).toEqual([]);
    expect(t.recorder.opened.at(-1)).toEqual([at(200), true]);
    await t.ingestor.stop(200);
  });

  it('dates a row at a later commit already received behind the batch that changed it before the read ended', async () => {
    const t = await setup();
    let open!: () => void;
    t.tiles.gate = new Promise((resolve) => (open = resolve));
    void t.feed.handler?.onTransaction(tx('0/1', 100, [customer('1')]));
    await new Promise((resolve) => setImmediate(resolve));
    // Committed at 400 and 5,000 while the first batch reads; the read ends at 1,000.
    void t.feed.handler?.onTransaction(tx('0/2', 400, [customer('1', { kyc_level: 1 })]));
    void t.feed.handler?.onTransaction(tx('0/3', 5_000, [customer('1', { kyc_level: 0 })]));
    open();
    t.tiles.gate = null;
    await until(() => t.feed.acks.includes('0/1'), 'the first batch');
    const first = t.recorder.rows.filter((r) => r.view === 'customer_profile');
    expect(first[0].eventTime).toEqual(at(400));
    await t.ingestor.stop(200);
  });

  it('keeps a batch unacknowledged while its history cannot be recorded, and records it once', async () => {
    const t = await setup();
    t.recorder.failHistory = 2;
    void t.feed.handler?.onTransaction(tx('0/1', 100, [customer('1')]));
    await until(() => t.feed.acks.includes('0/1'), 'the acknowledgement');
    expect(t.ingestor.stats().consecutiveFailures).toBe(0);
    expect(t.recorder.rows.filter((r) => r.view === 'customer_profile')).toHaveLength(1);
    await t.ingestor.stop(200);
  });

  it('dates rows recomputed when windows move (no source change) at the moment they were read', async () => {
    const t = await setup();
    await t.ingestor.rollover({ entitiesOnEdge: async (edge) => (edge.table === 'payments' ? ['2'] : []) }, at(0));
    expect(t.recorder.rows.map((r) => [r.view, r.entityId, r.eventTime])).toEqual([['customer_repayment', '2', at(1_000)]]);
    expect(t.recorder.changes).toEqual([]);
    await t.ingestor.stop(200);
  });
});
