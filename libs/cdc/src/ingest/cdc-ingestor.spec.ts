import {
  bnplCatalog,
  evaluateViewTiles,
  summariseViewTiles,
  type SourceRow,
  type SourceTilesReader,
  type ViewTiles,
} from '@bnpl/feature-definitions';
import { ObservedOnlineStore, type OnlineRow } from '@bnpl/online-store';
import type { ChangeFeed, ChangeFeedHandler, ChangeFeedStatus, SourceChange, SourceTransaction } from '../ports/change-feed.port';
import type { FeatureUpdateNotice, FeatureUpdateNotifier } from '../ports/feature-update-notifier.port';
import { CdcIngestor, type AppliedBatch, type CdcIngestorOptions, type CdcLogger } from './cdc-ingestor';
import type { WindowEdgeSource } from '../ports/window-edge-source.port';
import { windowEdges } from '../rollover/window-edges';
import { lsnToBigInt } from './lsn';

// ---------------------------------------------------------------------------------------------------
// Test doubles. Each records what it was asked, in one shared log where order matters (write before ack).
// ---------------------------------------------------------------------------------------------------

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets the test hand transactions over through the handler the ingestor registers in start(). */
class FakeChangeFeed implements ChangeFeed {
  handler?: ChangeFeedHandler;
  readonly acks: string[] = [];
  stops = 0;

  constructor(private readonly log: string[]) {}

  async start(handler: ChangeFeedHandler): Promise<void> {
    this.handler = handler;
  }

  async acknowledge(lsn: string): Promise<void> {
    this.acks.push(lsn);
    this.log.push(`ack ${lsn}`);
  }

  /** When set, waitVisible waits for it (a commit not yet visible to other sessions). */
  visibility: Deferred | null = null;

  async waitVisible(transactions: readonly SourceTransaction[]): Promise<void> {
    this.log.push(`visible ${transactions.map((t) => t.lsn).join(',')}`);
    if (this.visibility) await this.visibility.promise;
  }

  async status(): Promise<ChangeFeedStatus> {
    return { slotExists: true, streaming: this.handler !== undefined, lagBytes: 0 };
  }

  async stop(): Promise<void> {
    this.stops++;
    this.log.push('feed.stop');
  }

  /** What the real feed does with each committed transaction: returns the handler's backpressure promise. */
  deliver(transaction: SourceTransaction): Promise<void> | void {
    if (!this.handler) throw new Error('the ingestor did not register a handler (start() not called)');
    return this.handler.onTransaction(transaction);
  }
}

/**
 * Answers with the tiles of seeded entities (rows of their own table whose attributes derive from the id,
 * so every entity's values differ); an id not seeded is an entity that does not exist.
 */
class FakeSource implements SourceTilesReader {
  readonly entities = new Map<string, SourceRow>();
  readonly calls: Array<{ view: string; ids: string[]; asOf: Date }> = [];
  failure: Error | null = null;
  /** Per view: reads of it wait for this (a slow query), or fail this many times. */
  readonly gates = new Map<string, Promise<void>>();
  readonly failures = new Map<string, number>();

  /** Makes `ids` exist as entities of `entity`. */
  seed(entity: string, ...ids: string[]): void {
    for (const id of ids) {
      const row =
        entity === 'merchant'
          ? { id, name: `Merchant ${id}`, category: `category-${id}`, country: 'GB', created_at: new Date(T0 - 1_000 * DAY_MS) }
          : { id, country: 'GB', currency: 'EUR', kyc_level: Number(id) % 4, credit_limit_minor: 1_000 * Number(id), status: 'active', created_at: new Date(T0 - Number(id) * DAY_MS), updated_at: new Date(T0) };
      this.entities.set(`${entity}/${id}`, row);
    }
  }

  /** The tiles the ingestor is expected to have read for (view, id) as of `asOf`. */
  tilesOf(viewName: string, id: string, asOf: Date): ViewTiles | null {
    const view = bnplCatalog.getView(viewName);
    return summariseViewTiles(view, this.entities.get(`${view.entity.name}/${id}`) ?? null, {}, asOf);
  }

  async readViewTiles(viewName: string, entityIds: readonly string[], asOf: Date): Promise<Array<ViewTiles | null>> {
    this.calls.push({ view: viewName, ids: [...entityIds], asOf });
    if (this.failure) throw this.failure;
    await this.gates.get(viewName);
    const failures = this.failures.get(viewName) ?? 0;
    if (failures > 0) {
      this.failures.set(viewName, failures - 1);
      throw new Error(`${viewName} query failed`);
    }
    return entityIds.map((id) => this.tilesOf(viewName, id, asOf));
  }
}

/**
 * The in-memory online store, observed: its calls go to the shared log as they are made ('write',
 * 'delete'), and `down` (with the detail 'redis down') fails every call as an unreachable Redis does.
 */
function observedOnlineStore(log: string[]): ObservedOnlineStore {
  const online = new ObservedOnlineStore({
    catalog: bnplCatalog,
    onCall: (call) => {
      if (call.method === 'write' || call.method === 'delete') log.push(call.method);
    },
  });
  online.downDetail = 'redis down';
  return online;
}

/** Writes the store applied (the calls that did not fail). */
const written = (online: ObservedOnlineStore) => online.callsOf('write', 'fulfilled');

/** Stream watermarks the store accepted. */
const watermarks = (online: ObservedOnlineStore) => online.callsOf('writeStreamWatermark', 'fulfilled').map((call) => call.appliedThrough);

class FakeNotifier implements FeatureUpdateNotifier {
  readonly notices: FeatureUpdateNotice[] = [];
  failure: Error | null = null;
  /** When set, notices wait for it (a publish that takes its time). */
  pending: Deferred | null = null;

  constructor(private readonly log: string[]) {}

  async notify(notice: FeatureUpdateNotice): Promise<void> {
    this.notices.push(notice);
    this.log.push(`notify ${notice.entity}`);
    if (this.pending) await this.pending.promise;
    if (this.failure) throw this.failure;
  }
}

class RecordingLogger implements CdcLogger {
  readonly logs: string[] = [];
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  log(message: string): void {
    this.logs.push(message);
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
  error(message: string): void {
    this.errors.push(message);
  }
}

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/** A whole second, so that rate windows line up with the test's arithmetic. */
const T0 = Date.UTC(2024, 10, 24, 12, 0, 0);
const DAY_MS = 86_400_000;

const columnsOf = (table: string) => Object.keys(bnplCatalog.getSource(table).columns);

function installment(customerId: string, id = '900'): SourceChange {
  const newRow = { id, order_id: '500', customer_id: customerId, seq: 1, amount_minor: '2500', currency: 'EUR', due_date: '2024-11-01', status: 'scheduled', paid_at: null, days_past_due: 0, updated_at: new Date(T0) };
  return { schema: 'public', table: 'installments', op: 'insert', columns: columnsOf('installments'), newRow };
}

function payment(customerId: string): SourceChange {
  const newRow = { id: '1', installment_id: '900', customer_id: customerId, amount_minor: '2500', currency: 'EUR', status: 'failed', failure_reason: 'declined', attempted_at: new Date(T0) };
  return { schema: 'public', table: 'payments', op: 'insert', columns: columnsOf('payments'), newRow };
}

function order(customerId: string, merchantId: string): SourceChange {
  const newRow = { id: '500', customer_id: customerId, merchant_id: merchantId, amount_minor: '10000', currency: 'EUR', installment_count: 4, status: 'active', created_at: new Date(T0), updated_at: new Date(T0) };
  return { schema: 'public', table: 'orders', op: 'insert', columns: columnsOf('orders'), newRow };
}

function tx(lsn: string, changes: SourceChange[], extra: { commitTime?: Date; truncatedTables?: string[] } = {}): SourceTransaction {
  return { lsn, commitTime: extra.commitTime ?? new Date(T0), changes, truncatedTables: extra.truncatedTables ?? [] };
}

/** Waits (real time, bounded) until `condition` holds: the ingestor works through promises and 1-2 ms retry timers. */
async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Lets every promise chain that can make progress do so (the fakes resolve in microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

const byKeyAndView = (a: OnlineRow, b: OnlineRow) => `${a.key.entity}/${a.key.id}/${a.view}`.localeCompare(`${b.key.entity}/${b.key.id}/${b.view}`);

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(options: CdcIngestorOptions = {}) {
  const log: string[] = [];
  const feed = new FakeChangeFeed(log);
  const source = new FakeSource();
  const online = observedOnlineStore(log);
  const notifier = new FakeNotifier(log);
  const logger = new RecordingLogger();
  const batches: AppliedBatch[] = [];
  const clock = { now: T0 };
  const ingestor = new CdcIngestor(
    { catalog: bnplCatalog, feed, tiles: source, online, notifier },
    { retryInitialMs: 1, retryMaxMs: 2, clock: () => clock.now, logger, onBatchApplied: (b) => batches.push(b), ...options },
  );
  await ingestor.start();
  cleanups.push(async () => {
    // Unblock whatever a test left hanging, so no retry loop outlives it.
    online.down = false;
    source.failure = null;
    online.release();
    notifier.pending?.resolve();
    await ingestor.stop(200);
    // The streaming path computes from the source, never from what the store holds.
    expect(online.reads).toEqual([]);
  });
  return { log, feed, source, online, notifier, logger, batches, clock, ingestor };
}

// ---------------------------------------------------------------------------------------------------

describe('CdcIngestor', () => {
  it('registers itself with the feed on start and exposes the router tables', async () => {
    const t = await setup();
    expect(t.feed.handler).toBe(t.ingestor);
    expect(t.ingestor.stats().state).toBe('streaming');
    expect([...t.ingestor.tables].sort()).toEqual(['customers', 'installments', 'merchants', 'orders', 'payments']);
  });

  describe('apply then acknowledge', () => {
    it('writes in if-newer mode at the clock time, and acknowledges the lsn only after the write resolved', async () => {
      const t = await setup();
      t.source.seed('customer', '7');
      t.online.hold();
      void t.feed.deliver(tx('0/1A', [installment('7')]));

      await until(() => t.online.writes.length === 1, 'the write');
      await settle();
      expect(t.feed.acks).toEqual([]);
      expect(t.ingestor.stats().pendingTransactions).toBe(1);

      t.online.release();
      await until(() => t.feed.acks.length === 1, 'the ack');
      expect(t.feed.acks).toEqual(['0/1A']);
      expect(t.log.filter((e) => !e.startsWith('notify'))).toEqual(['visible 0/1A', 'write', 'ack 0/1A']);

      const [write] = t.online.writes;
      expect(write.options).toEqual({ mode: 'if-newer' });
      // The values the tiles give on the event time's day, with the tiles themselves.
      const expected = (view: string) => {
        const tiles = t.source.tilesOf(view, '7', new Date(T0)) as ViewTiles;
        return { key: { entity: 'customer', id: '7' }, view, values: evaluateViewTiles(bnplCatalog.getView(view), tiles, tiles.asOfDay), eventTime: new Date(T0), tiles };
      };
      expect([...write.rows].sort(byKeyAndView)).toEqual([expected('customer_exposure'), expected('customer_repayment')]);
      expect(write.rows.find((r) => r.view === 'customer_exposure')?.values).toMatchObject({ credit_limit: { amountMinor: 7_000, currency: 'EUR' } });
      // The source is read as of the event time written.
      expect(t.source.calls.map((c) => c.asOf.getTime())).toEqual([T0, T0]);

      const stats = t.ingestor.stats();
      expect(stats).toMatchObject({ state: 'streaming', transactionsApplied: 1, changesApplied: 1, rowsWritten: 2, entitiesDeleted: 0, pendingTransactions: 0, lastAppliedLsn: '0/1A', consecutiveFailures: 0 });
      expect(stats.lastAppliedCommitTime).toEqual(new Date(T0));
      expect(t.online.deletes).toEqual([]);
    });

    it('reports each applied batch with its commit-to-write times', async () => {
      const t = await setup();
      t.source.seed('customer', '7');
      void t.feed.deliver(tx('0/1', [installment('7')], { commitTime: new Date(T0 - 1_500) }));
      await until(() => t.feed.acks.length === 1);
      expect(t.batches).toEqual([{ transactions: 1, changes: 1, rowsWritten: 2, entitiesDeleted: 0, commitToWriteMs: [1_500], applyMs: 0 }]);
    });

    it('runs each attempt to apply a batch inside aroundApply, its source read and write included', async () => {
      const around: Array<{ transactions: number; log: string[] }> = [];
      let log: string[] = [];
      const t = await setup({
        aroundApply: async (batch, apply) => {
          const entry = { transactions: batch.transactions, log: [...log] };
          around.push(entry);
          await apply();
          entry.log = log.slice(entry.log.length);
        },
      });
      log = t.log;
      t.source.seed('customer', '7');
      void t.feed.deliver(tx('0/1', [installment('7')]));
      await until(() => t.feed.acks.length === 1);
      expect(around).toEqual([{ transactions: 1, log: expect.arrayContaining(['visible 0/1', 'write']) }]);
    });

    it('makes event times strictly increase even when the clock does not move (or goes back)', async () => {
      const t = await setup();
      t.source.seed('customer', '7');
      void t.feed.deliver(tx('0/1', [installment('7')]));
      await until(() => t.feed.acks.length === 1);
      void t.feed.deliver(tx('0/2', [installment('7')]));
      await until(() => t.feed.acks.length === 2);
      t.clock.now = T0 - 60_000;
      void t.feed.deliver(tx('0/3', [installment('7')]));
      await until(() => t.feed.acks.length === 3);
      t.clock.now = T0 + 5_000;
      void t.feed.deliver(tx('0/4', [installment('7')]));
      await until(() => t.feed.acks.length === 4);

      const eventTimes = written(t.online).map((w) => [...new Set(w.rows.map((r) => r.eventTime.getTime()))]);
      expect(eventTimes).toEqual([[T0], [T0 + 1], [T0 + 2], [T0 + 5_000]]);
    });

    it('applies queued transactions as one batch: one readView per view with the union of ids, one write per entity, the last lsn acked', async () => {
      const t = await setup();
      t.source.seed('customer', '1', '2', '3');
      t.source.seed('merchant', '9');
      t.online.hold();
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.online.writes.length === 1);
      const readsOfFirstBatch = t.source.calls.length;

      void t.feed.deliver(tx('0/2', [installment('1')]));
      void t.feed.deliver(tx('0/3', [installment('2')]));
      void t.feed.deliver(tx('0/4', [payment('1'), order('3', '9')]));
      expect(t.ingestor.stats().pendingTransactions).toBe(4);
      t.online.release();
      await until(() => t.feed.acks.length === 2);

      expect(t.feed.acks).toEqual(['0/1', '0/4']);
      const reads = t.source.calls.slice(readsOfFirstBatch).map((c) => ({ view: c.view, ids: [...c.ids].sort() }));
      expect(reads.sort((a, b) => a.view.localeCompare(b.view))).toEqual([
        { view: 'customer_exposure', ids: ['1', '2', '3'] },
        { view: 'customer_repayment', ids: ['1', '2'] },
        { view: 'customer_spending', ids: ['3'] },
        { view: 'merchant_risk', ids: ['9'] },
      ]);
      expect(t.online.writes).toHaveLength(3);
      const entityOf = (w: { rows: readonly { key: { entity: string } }[] }) => new Set(w.rows.map((r) => r.key.entity));
      const [customers, merchants] = ['customer', 'merchant'].map((e) => t.online.writes.slice(1).find((w) => entityOf(w).has(e)) as (typeof t.online.writes)[number]);
      expect(customers.rows).toHaveLength(3 + 2 + 1);
      expect([...entityOf(customers)]).toEqual(['customer']);
      expect(merchants.rows).toHaveLength(1);
      expect([...entityOf(merchants)]).toEqual(['merchant']);
      expect(t.ingestor.stats()).toMatchObject({ transactionsApplied: 4, changesApplied: 5, lastAppliedLsn: '0/4', pendingTransactions: 0 });
      // Each entity kind's lane reports its own batches: the customers' two, and the merchant's one, which
      // the last transaction alone reached.
      expect(t.batches.map((b) => b.transactions).sort()).toEqual([1, 1, 3]);
    });

    it('applies at most maxBatchTransactions per batch', async () => {
      const t = await setup({ maxBatchTransactions: 2 });
      t.source.seed('customer', '1');
      t.online.hold();
      for (let i = 1; i <= 5; i++) void t.feed.deliver(tx(`0/${i}`, [installment('1')]));
      t.online.release();
      await until(() => t.feed.acks.includes('0/5'));
      expect(t.feed.acks).toEqual(['0/1', '0/3', '0/5']);
      expect(t.batches.map((b) => b.transactions)).toEqual([1, 2, 2]);
    });

    it('deletes from the online store an entity the source no longer has, and writes the others', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      void t.feed.deliver(tx('0/1', [installment('1'), installment('5')]));
      await until(() => t.feed.acks.length === 1);

      expect(written(t.online)).toHaveLength(1);
      expect(written(t.online)[0].rows.map((r) => r.key.id)).toEqual(['1', '1']);
      expect(t.online.deletes).toEqual([[{ entity: 'customer', id: '5' }]]);
      expect(t.log.filter((e) => !e.startsWith('notify'))).toEqual(['visible 0/1', 'write', 'delete', 'ack 0/1']);
      expect(t.ingestor.stats()).toMatchObject({ rowsWritten: 2, entitiesDeleted: 1 });
    });

    it('only deletes when no affected entity exists any more', async () => {
      const t = await setup();
      void t.feed.deliver(tx('0/1', [{ schema: 'public', table: 'customers', op: 'delete', columns: columnsOf('customers'), oldRow: { id: '5' } }]));
      await until(() => t.feed.acks.length === 1);
      expect(t.online.writes).toEqual([]);
      expect(t.online.deletes).toEqual([[{ entity: 'customer', id: '5' }]]);
    });

    it('acknowledges a transaction that affects nothing without touching the store', async () => {
      const t = await setup();
      void t.feed.deliver(tx('0/1', [installment('0')], { truncatedTables: [] }));
      await until(() => t.feed.acks.length === 1);
      expect(t.online.writes).toEqual([]);
      expect(t.online.deletes).toEqual([]);
      expect(t.notifier.notices).toEqual([]);
    });
  });

  describe('failures', () => {
    it('retries a batch while the online store fails, acknowledging nothing, then writes it once more and acks', async () => {
      const t = await setup();
      t.source.seed('customer', '7');
      t.online.down = true;
      void t.feed.deliver(tx('0/1', [installment('7')]));

      await until(() => t.ingestor.stats().consecutiveFailures >= 3, 'three failed attempts');
      expect(t.feed.acks).toEqual([]);
      let stats = t.ingestor.stats();
      expect(stats).toMatchObject({ state: 'retrying', lastError: 'Online store (memory) unavailable: redis down', pendingTransactions: 1, transactionsApplied: 0 });
      expect(t.ingestor.isStalled()).toBe(true);
      expect(t.online.writes.length).toBeGreaterThanOrEqual(3);
      expect(t.logger.warnings.filter((w) => w.includes('redis down'))).toHaveLength(1);

      t.online.down = false;
      await until(() => t.feed.acks.length === 1, 'the ack after recovery');
      expect(t.feed.acks).toEqual(['0/1']);
      expect(written(t.online)).toHaveLength(1);
      stats = t.ingestor.stats();
      expect(stats).toMatchObject({ state: 'streaming', consecutiveFailures: 0, transactionsApplied: 1, pendingTransactions: 0 });
      expect(t.ingestor.isStalled()).toBe(false);
      expect(t.logger.logs).toContain('applying source changes again after failures');
    });

    it('retries a batch while the source fails', async () => {
      const t = await setup();
      t.source.seed('customer', '7');
      t.source.failure = new Error('connection terminated');
      void t.feed.deliver(tx('0/1', [installment('7')]));
      await until(() => t.ingestor.stats().consecutiveFailures >= 2);
      expect(t.ingestor.isStalled()).toBe(true);
      expect(t.online.writes).toEqual([]);
      expect(t.feed.acks).toEqual([]);
      t.source.failure = null;
      await until(() => t.feed.acks.length === 1);
      expect(t.ingestor.stats().state).toBe('streaming');
    });

    it('keeps streaming when an acknowledgement fails (the next one covers it)', async () => {
      const t = await setup();
      t.source.seed('customer', '7');
      const acknowledge = jest.spyOn(t.feed, 'acknowledge').mockRejectedValueOnce(new Error('socket closed'));
      void t.feed.deliver(tx('0/1', [installment('7')]));
      await until(() => acknowledge.mock.calls.length === 1);
      void t.feed.deliver(tx('0/2', [installment('7')]));
      await until(() => t.feed.acks.includes('0/2'));
      expect(t.logger.warnings.some((w) => w.includes('0/1') && w.includes('socket closed'))).toBe(true);
      expect(t.ingestor.stats().state).toBe('streaming');
    });

    it('records a replication error as lastError without changing state', async () => {
      const t = await setup();
      t.ingestor.onError(new Error('terminating connection'));
      expect(t.ingestor.stats()).toMatchObject({ state: 'streaming', lastError: 'replication: terminating connection' });
      expect(t.logger.warnings).toHaveLength(1);
    });
  });

  describe('reconnects', () => {
    it('drops queued, unapplied transactions on reconnect and applies their replay', async () => {
      const t = await setup();
      t.source.seed('customer', '1', '2');
      t.online.hold();
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.online.writes.length === 1);
      void t.feed.deliver(tx('0/2', [installment('2')]));
      expect(t.ingestor.stats().pendingTransactions).toBe(2);

      t.ingestor.onReconnect();
      expect(t.ingestor.stats()).toMatchObject({ pendingTransactions: 0, reconnects: 1 });
      t.online.release();
      await settle();
      // The batch in flight was of the old connection: its lsn is not acknowledged, it will be replayed.
      expect(t.feed.acks).toEqual([]);

      void t.feed.deliver(tx('0/1', [installment('1')]));
      void t.feed.deliver(tx('0/2', [installment('2')]));
      await until(() => t.feed.acks.includes('0/2'));
      expect(t.feed.acks.every((lsn) => lsn === '0/1' || lsn === '0/2')).toBe(true);
      const idsWritten = new Set(written(t.online).flatMap((w) => w.rows.map((r) => r.key.id)));
      expect([...idsWritten].sort()).toEqual(['1', '2']);
      expect(t.ingestor.stats()).toMatchObject({ state: 'streaming', pendingTransactions: 0, reconnects: 1, lastAppliedLsn: '0/2' });
      expect(t.ingestor.stats().lastError).toBeUndefined();
    });

    it('applies an already applied transaction again when it is replayed (idempotent recompute)', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.feed.acks.length === 1);
      t.ingestor.onReconnect();
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.feed.acks.length === 2);

      expect(t.feed.acks).toEqual(['0/1', '0/1']);
      expect(written(t.online)).toHaveLength(2);
      expect(written(t.online)[1].rows.map((r) => r.values)).toEqual(written(t.online)[0].rows.map((r) => r.values));
      expect(written(t.online)[1].rows[0].eventTime.getTime()).toBeGreaterThan(written(t.online)[0].rows[0].eventTime.getTime());
      expect(t.ingestor.stats()).toMatchObject({ transactionsApplied: 2, reconnects: 1, consecutiveFailures: 0 });
      expect(t.ingestor.stats().lastError).toBeUndefined();
    });

    it('abandons a failing batch on reconnect instead of retrying it forever', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      t.online.down = true;
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.ingestor.stats().consecutiveFailures >= 1);
      t.ingestor.onReconnect();
      t.online.down = false;
      await settle();
      expect(t.feed.acks).toEqual([]);
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.feed.acks.length === 1);
      expect(written(t.online)).toHaveLength(1);
    });
  });

  describe('backpressure', () => {
    it('returns a pending promise once the queue is full, resolved as the queue drains', async () => {
      const t = await setup({ maxBatchTransactions: 1, maxPendingTransactions: 2 });
      t.source.seed('customer', '1', '2');
      t.online.hold();

      expect(t.feed.deliver(tx('0/1', [installment('1')]))).toBeUndefined();
      const full = t.feed.deliver(tx('0/2', [installment('2')]));
      expect(full).toBeInstanceOf(Promise);
      let released = false;
      void (full as Promise<void>).then(() => (released = true));
      await settle();
      expect(released).toBe(false);

      t.online.release();
      await until(() => released, 'the backpressure promise');
      await until(() => t.feed.acks.includes('0/2'));
      expect(t.ingestor.stats().pendingTransactions).toBe(0);
    });

    it('releases a paused feed on reconnect', async () => {
      const t = await setup({ maxBatchTransactions: 1, maxPendingTransactions: 1 });
      t.source.seed('customer', '1');
      t.online.hold();
      const full = t.feed.deliver(tx('0/1', [installment('1')]));
      expect(full).toBeInstanceOf(Promise);
      t.ingestor.onReconnect();
      await expect(full).resolves.toBeUndefined();
    });
  });

  describe('stop', () => {
    it('applies and acknowledges what was queued, then stops the feed; later transactions are ignored', async () => {
      const t = await setup();
      t.source.seed('customer', '1', '2', '3');
      t.online.hold();
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.online.writes.length === 1);
      void t.feed.deliver(tx('0/2', [installment('2')]));

      const stopping = t.ingestor.stop();
      await settle();
      expect(t.feed.stops).toBe(0);
      expect(t.ingestor.stats().state).toBe('stopping');

      t.online.release();
      await stopping;
      expect(t.feed.acks).toEqual(['0/1', '0/2']);
      expect(t.feed.stops).toBe(1);
      expect(t.log.indexOf('ack 0/2')).toBeLessThan(t.log.indexOf('feed.stop'));
      expect(t.ingestor.stats().state).toBe('stopped');

      const reads = t.source.calls.length;
      expect(t.feed.deliver(tx('0/3', [installment('3')]))).toBeUndefined();
      await settle();
      expect(t.source.calls).toHaveLength(reads);
      expect(t.ingestor.stats().pendingTransactions).toBe(0);
      expect(t.feed.acks).toEqual(['0/1', '0/2']);

      await t.ingestor.stop();
      expect(t.feed.stops).toBe(1);
    });

    it('gives up after the timeout when the store stays down, acknowledging nothing', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      t.online.down = true;
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.ingestor.stats().consecutiveFailures >= 1);
      await t.ingestor.stop(20);
      expect(t.feed.acks).toEqual([]);
      expect(t.feed.stops).toBe(1);
      expect(t.ingestor.stats().state).toBe('stopped');
    });
  });

  describe('feature-update notices', () => {
    it('sends one notice per entity (chunked) with the affected ids, views, event time and source lsn, after the write', async () => {
      const t = await setup({ notifyChunkSize: 2 });
      t.source.seed('customer', '1', '2', '3');
      t.source.seed('merchant', '9');
      void t.feed.deliver(tx('16/B374D848', [installment('1'), installment('2', '901'), installment('3', '902'), order('1', '9')]));
      await until(() => t.feed.acks.length === 1);

      const customer = t.notifier.notices.filter((n) => n.entity === 'customer');
      const merchant = t.notifier.notices.filter((n) => n.entity === 'merchant');
      expect(customer).toHaveLength(2);
      expect(customer.every((n) => n.entityIds.length <= 2)).toBe(true);
      expect(customer.flatMap((n) => n.entityIds).sort()).toEqual(['1', '2', '3']);
      for (const notice of customer) {
        expect([...notice.featureViews].sort()).toEqual(['customer_exposure', 'customer_repayment', 'customer_spending']);
        expect(notice.eventTime).toEqual(new Date(T0));
        expect(notice.sourceLsn).toBe(lsnToBigInt('16/B374D848'));
        expect(notice.sourceLsn).toBe(0x16b374d848n);
      }
      // The merchant lane takes its own event time, the one its row was written with.
      const merchantRow = written(t.online).flatMap((w) => w.rows).find((r) => r.key.entity === 'merchant');
      expect(merchant).toEqual([{ entity: 'merchant', entityIds: ['9'], featureViews: ['merchant_risk'], eventTime: merchantRow?.eventTime, sourceLsn: 0x16b374d848n }]);
      expect(t.log.indexOf('write')).toBeLessThan(t.log.indexOf('notify customer'));
    });

    it("writes and announces each entity as soon as its own views are read: a customer does not wait for the batch's slow merchant", async () => {
      const t = await setup();
      t.source.seed('customer', '3');
      t.source.seed('merchant', '9');
      let open!: () => void;
      t.source.gates.set('merchant_risk', new Promise<void>((resolve) => (open = resolve)));
      void t.feed.deliver(tx('0/1', [order('3', '9')]));
      await until(() => t.notifier.notices.some((n) => n.entity === 'customer'));
      expect(written(t.online).flatMap((w) => w.rows.map((r) => r.key.entity))).not.toContain('merchant');
      expect(t.feed.acks).toEqual([]);
      open();
      await until(() => t.feed.acks.length === 1);
      expect(t.notifier.notices.map((n) => n.entity)).toEqual(['customer', 'merchant']);
    });

    it("applies a later transaction's customer while an earlier batch's merchant is still being read, and acknowledges in order", async () => {
      const t = await setup();
      t.source.seed('customer', '3', '4');
      t.source.seed('merchant', '9');
      let open!: () => void;
      t.source.gates.set('merchant_risk', new Promise<void>((resolve) => (open = resolve)));
      void t.feed.deliver(tx('0/1', [order('3', '9')]));
      await until(() => t.source.calls.some((c) => c.view === 'merchant_risk'));
      void t.feed.deliver(tx('0/2', [installment('4')]));
      await until(() => t.notifier.notices.some((n) => n.entity === 'customer' && n.entityIds.includes('4')), "the later transaction's customer");
      expect(t.feed.acks).toEqual([]);
      t.clock.now = T0 + 2_500;
      await until(() => t.ingestor.stats().lanes.find((l) => l.entity === 'customer')?.pendingTransactions === 0);
      expect(t.ingestor.stats()).toMatchObject({
        pendingTransactions: 2,
        lagSeconds: 2.5,
        lanes: [
          { entity: 'customer', pendingTransactions: 0, lagSeconds: 0, consecutiveFailures: 0 },
          { entity: 'merchant', pendingTransactions: 2, lagSeconds: 2.5, consecutiveFailures: 0 },
        ],
      });
      open();
      await until(() => t.feed.acks.includes('0/2'));
      expect(t.feed.acks).toEqual(['0/1', '0/2']);
      // The merchant lane read the merchant once: the second transaction did not reach it.
      expect(t.source.calls.filter((c) => c.view === 'merchant_risk')).toHaveLength(1);
    });

    it('recomputes a merchant once for every change that arrived while its lane was busy', async () => {
      const t = await setup();
      t.source.seed('customer', '3', '4', '5');
      t.source.seed('merchant', '9');
      let open!: () => void;
      t.source.gates.set('merchant_risk', new Promise<void>((resolve) => (open = resolve)));
      void t.feed.deliver(tx('0/1', [order('3', '9')]));
      await until(() => t.source.calls.some((c) => c.view === 'merchant_risk'));
      void t.feed.deliver(tx('0/2', [order('4', '9')]));
      void t.feed.deliver(tx('0/3', [order('5', '9')]));
      await until(() => t.notifier.notices.some((n) => n.entity === 'customer' && n.entityIds.includes('5')));
      t.source.gates.delete('merchant_risk');
      open();
      await until(() => t.feed.acks.includes('0/3'));
      expect(t.source.calls.filter((c) => c.view === 'merchant_risk').map((c) => c.ids)).toEqual([['9'], ['9']]);
    });

    it("waits out a lane's interval before its next batch: later merchant changes recomputed once, customers not held", async () => {
      const t = await setup({ laneIntervalMs: { merchant: 300 } });
      t.source.seed('customer', '3', '4', '5');
      t.source.seed('merchant', '9');
      void t.feed.deliver(tx('0/1', [order('3', '9')]));
      await until(() => t.feed.acks.includes('0/1'));
      const merchantReads = () => t.source.calls.filter((c) => c.view === 'merchant_risk').length;
      expect(merchantReads()).toBe(1);
      const started = Date.now();
      void t.feed.deliver(tx('0/2', [order('4', '9')]));
      void t.feed.deliver(tx('0/3', [order('5', '9')]));
      await until(() => t.notifier.notices.some((n) => n.entity === 'customer' && n.entityIds.includes('5')), 'the customers');
      // The customers are written while the merchant lane still waits; nothing is acknowledged meanwhile.
      expect(merchantReads()).toBe(1);
      expect(t.feed.acks).toEqual(['0/1']);
      expect(t.ingestor.stats().lanes.find((l) => l.entity === 'merchant')?.pendingTransactions).toBe(2);
      await until(() => t.feed.acks.includes('0/3'), 'the merchant after its interval');
      expect(merchantReads()).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });

    it('does not wait out an interval with a full batch pending, nor when stopping', async () => {
      const t = await setup({ laneIntervalMs: { merchant: 60_000 }, maxBatchTransactions: 2 });
      t.source.seed('customer', '3');
      t.source.seed('merchant', '9');
      void t.feed.deliver(tx('0/1', [order('3', '9')]));
      await until(() => t.feed.acks.includes('0/1'));
      void t.feed.deliver(tx('0/2', [order('3', '9')]));
      void t.feed.deliver(tx('0/3', [order('3', '9')]));
      await until(() => t.feed.acks.includes('0/3'), 'a full batch, at once');
      void t.feed.deliver(tx('0/4', [order('3', '9')]));
      await settle();
      expect(t.feed.acks).not.toContain('0/4');
      await t.ingestor.stop(5_000);
      expect(t.feed.acks).toContain('0/4');
    });

    it('refuses an interval for an entity no change reaches, or one that is not a whole number of ms', () => {
      const deps = { catalog: bnplCatalog, feed: new FakeChangeFeed([]), tiles: new FakeSource(), online: observedOnlineStore([]) };
      expect(() => new CdcIngestor(deps, { laneIntervalMs: { shop: 10 } })).toThrow(/"shop": no change reaches that entity \(entities: customer, merchant\)/);
      expect(() => new CdcIngestor(deps, { laneIntervalMs: { merchant: -1 } })).toThrow(/whole number of ms/);
    });

    it('retries a failing merchant in its own lane: the customer is written once, the transaction acknowledged once the merchant is', async () => {
      const t = await setup({ retryInitialMs: 1 });
      t.source.seed('customer', '3');
      t.source.seed('merchant', '9');
      t.source.failures.set('merchant_risk', 2);
      void t.feed.deliver(tx('0/1', [order('3', '9')]));
      await until(() => t.feed.acks.length === 1);
      expect(t.source.calls.filter((c) => c.view === 'merchant_risk')).toHaveLength(3);
      expect(t.source.calls.filter((c) => c.view === 'customer_spending')).toHaveLength(1);
      const writes = written(t.online);
      expect(writes.filter((w) => w.rows.some((r) => r.key.entity === 'customer'))).toHaveLength(1);
      expect(writes.filter((w) => w.rows.some((r) => r.key.entity === 'merchant'))).toHaveLength(1);
      expect(t.ingestor.stats()).toMatchObject({ state: 'streaming', consecutiveFailures: 0, transactionsApplied: 1 });
    });

    it('acknowledges nothing while one lane fails, and reports retrying until every lane applies again', async () => {
      const t = await setup({ retryInitialMs: 1, retryMaxMs: 1 });
      t.source.seed('customer', '3');
      t.source.seed('merchant', '9');
      t.source.failures.set('merchant_risk', 1_000_000);
      void t.feed.deliver(tx('0/1', [order('3', '9')]));
      void t.feed.deliver(tx('0/2', [installment('3')]));
      await until(() => t.ingestor.stats().consecutiveFailures >= 3);
      // The customer lane applied both transactions meanwhile; the merchant lane holds the acknowledgement.
      await until(() => written(t.online).filter((w) => w.rows.some((r) => r.key.entity === 'customer')).length === 2);
      expect(t.feed.acks).toEqual([]);
      expect(t.ingestor.stats()).toMatchObject({ state: 'retrying', pendingTransactions: 2, transactionsApplied: 0 });
      expect(t.ingestor.isStalled()).toBe(true);
      t.source.failures.delete('merchant_risk');
      await until(() => t.feed.acks.includes('0/2'));
      expect(t.ingestor.stats()).toMatchObject({ state: 'streaming', consecutiveFailures: 0, transactionsApplied: 2, pendingTransactions: 0 });
    });

    it('makes a retried lane write with a later event time than its failed attempt', async () => {
      const t = await setup({ retryInitialMs: 1 });
      t.source.seed('customer', '3');
      t.online.down = true;
      void t.feed.deliver(tx('0/1', [installment('3')]));
      await until(() => t.online.writes.length >= 1);
      t.online.down = false;
      await until(() => t.feed.acks.length === 1);
      const [failed] = t.online.writes;
      const [applied] = written(t.online);
      // The clock stands still in this test: only the ingestor's own ordering makes the retry later.
      expect(applied.rows[0].eventTime.getTime()).toBeGreaterThan(failed.rows[0].eventTime.getTime());
    });

    it('names the lsn of the last transaction of the batch', async () => {
      const t = await setup();
      t.source.seed('customer', '1', '2');
      t.online.hold();
      void t.feed.deliver(tx('0/10', [installment('1')]));
      await until(() => t.online.writes.length === 1);
      void t.feed.deliver(tx('0/20', [installment('1')]));
      void t.feed.deliver(tx('1/5', [installment('2')]));
      t.online.release();
      await until(() => t.feed.acks.length === 2);
      expect(t.notifier.notices.map((n) => n.sourceLsn)).toEqual([0x10n, (1n << 32n) + 5n]);
      expect([...t.notifier.notices[1].entityIds].sort()).toEqual(['1', '2']);
    });

    it('acknowledges despite a failing notifier and counts the failures', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      t.notifier.failure = new Error('pubsub down');
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.feed.acks.length === 1);
      void t.feed.deliver(tx('0/2', [installment('1')]));
      await until(() => t.feed.acks.length === 2);

      expect(t.ingestor.stats()).toMatchObject({ notifyFailures: 2, state: 'streaming', consecutiveFailures: 0, transactionsApplied: 2 });
      // The write is not retried because of the notice.
      expect(t.online.writes).toHaveLength(2);
      expect(t.logger.warnings.filter((w) => w.includes('pubsub down'))).toHaveLength(1);
    });

    it('does not hold the acknowledgement, nor the next batch, while a notice has not settled', async () => {
      // The port: a notice is best effort, the ingestor does not hold acknowledgements for it (a Pub/Sub
      // publish may take its call timeout).
      const t = await setup();
      t.source.seed('customer', '1');
      t.notifier.pending = deferred();
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.notifier.notices.length === 1, 'the notice');
      await settle();
      expect(t.feed.acks).toEqual(['0/1']);
      void t.feed.deliver(tx('0/2', [installment('1')]));
      await until(() => t.feed.acks.length === 2, 'the second ack');
      expect(written(t.online)).toHaveLength(2);
    });

    it('waits on stop for notices still in flight, then stops the feed', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      const pending = (t.notifier.pending = deferred());
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.feed.acks.length === 1);
      const stopping = t.ingestor.stop();
      await settle();
      expect(t.feed.stops).toBe(0);
      pending.resolve();
      await stopping;
      expect(t.feed.stops).toBe(1);
    });

    it('stops the feed after the timeout when a notice never settles', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      t.notifier.pending = deferred();
      void t.feed.deliver(tx('0/1', [installment('1')]));
      await until(() => t.feed.acks.length === 1);
      await t.ingestor.stop(20);
      expect(t.feed.stops).toBe(1);
      expect(t.ingestor.stats().state).toBe('stopped');
    });
  });

  describe('skipped changes', () => {
    const unknownTable: SourceChange = { schema: 'public', table: 'audit_log', op: 'insert', columns: ['id'], newRow: { id: '1' } };
    const unknownColumn: SourceChange = { ...installment('1'), columns: [...columnsOf('installments'), 'legacy_flag'] };
    const invalidKey = installment('abc');

    it('counts skips by reason and warns once per (reason, table, detail)', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      void t.feed.deliver(tx('0/1', [unknownTable, unknownTable, unknownColumn, invalidKey], { truncatedTables: ['orders'] }));
      await until(() => t.feed.acks.length === 1);
      expect(t.ingestor.stats().skipped).toEqual({ unknown_table: 2, unknown_column: 1, missing_key: 0, invalid_key: 1, truncate: 1 });
      // The rest of the row with an unknown column is applied.
      expect(written(t.online)[0].rows.map((r) => r.key.id)).toEqual(['1', '1']);

      void t.feed.deliver(tx('0/2', [unknownTable, unknownColumn, installment('0')], { truncatedTables: ['orders'] }));
      await until(() => t.feed.acks.length === 2);
      expect(t.ingestor.stats().skipped).toEqual({ unknown_table: 3, unknown_column: 2, missing_key: 0, invalid_key: 2, truncate: 2 });

      const warned = (reason: string, table: string, detail?: string) =>
        t.logger.warnings.filter((w) => w.includes(reason) && w.includes(` ${table}`) && (detail === undefined || w.includes(detail))).length;
      expect(warned('unknown table', 'audit_log')).toBe(1);
      expect(warned('unknown column', 'installments', 'legacy_flag')).toBe(1);
      expect(warned('invalid key', 'installments', 'customer_id=abc')).toBe(1);
      // Another detail is another warning.
      expect(warned('invalid key', 'installments', 'customer_id=0')).toBe(1);
      expect(warned('truncate', 'orders')).toBe(1);
      expect(t.logger.warnings).toHaveLength(5);
    });

    it('counts a skipped change once even when its batch is retried', async () => {
      // A batch is routed again on every attempt; its skips must be counted once, when it is applied.
      const t = await setup();
      t.source.seed('customer', '1');
      t.online.down = true;
      void t.feed.deliver(tx('0/1', [unknownTable, installment('1')], { truncatedTables: ['orders'] }));
      await until(() => t.ingestor.stats().consecutiveFailures >= 3);
      t.online.down = false;
      await until(() => t.feed.acks.length === 1);
      expect(t.ingestor.stats().skipped).toMatchObject({ unknown_table: 1, truncate: 1 });
    });
  });

  describe('lag and rate', () => {
    it('reports the age of the oldest pending transaction against the clock, 0 when caught up', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      expect(t.ingestor.stats().lagSeconds).toBe(0);
      t.online.hold();
      void t.feed.deliver(tx('0/1', [installment('1')], { commitTime: new Date(T0 - 30_000) }));
      void t.feed.deliver(tx('0/2', [installment('1')], { commitTime: new Date(T0 - 10_000) }));
      await until(() => t.online.writes.length === 1);
      expect(t.ingestor.stats().lagSeconds).toBe(30);
      t.clock.now = T0 + 5_000;
      expect(t.ingestor.stats().lagSeconds).toBe(35);

      t.online.release();
      await until(() => t.feed.acks.length === 2);
      expect(t.ingestor.stats().lagSeconds).toBe(0);
    });

    it('never reports a negative lag (commit time ahead of the clock)', async () => {
      const t = await setup();
      t.source.seed('customer', '1');
      t.online.hold();
      void t.feed.deliver(tx('0/1', [installment('1')], { commitTime: new Date(T0 + 2_000) }));
      await until(() => t.online.writes.length === 1);
      expect(t.ingestor.stats().lagSeconds).toBe(0);
    });

    it('counts changes per second over the last 10 s', async () => {
      const t = await setup();
      t.source.seed('customer', '1', '2', '3');
      void t.feed.deliver(tx('0/1', [installment('1'), installment('2', '901'), installment('3', '902')]));
      await until(() => t.feed.acks.length === 1);
      expect(t.ingestor.stats().changesPerSecond).toBeCloseTo(0.3);

      t.clock.now = T0 + 5_000;
      void t.feed.deliver(tx('0/2', [installment('1'), installment('2', '901')]));
      await until(() => t.feed.acks.length === 2);
      expect(t.ingestor.stats().changesPerSecond).toBeCloseTo(0.5);

      t.clock.now = T0 + 9_999;
      expect(t.ingestor.stats().changesPerSecond).toBeCloseTo(0.5);
      t.clock.now = T0 + 10_000;
      expect(t.ingestor.stats().changesPerSecond).toBeCloseTo(0.2);
      t.clock.now = T0 + 15_000;
      expect(t.ingestor.stats().changesPerSecond).toBe(0);
      t.clock.now = T0 + 600_000;
      expect(t.ingestor.stats().changesPerSecond).toBe(0);
    });
  });
});

describe('CdcIngestor stream watermark', () => {
  it('is the last applied commit time, or the last idle catch-up, whichever is later; written when it moves', async () => {
    const t = await setup();
    t.source.seed('customer', '7');
    expect(t.ingestor.appliedThrough()).toBeUndefined();
    await expect(t.ingestor.publishWatermark()).resolves.toBeUndefined();

    void t.feed.deliver(tx('0/1', [installment('7')], { commitTime: new Date(T0 - 5_000) }));
    await until(() => t.feed.acks.length === 1);
    expect(t.ingestor.appliedThrough()).toEqual(new Date(T0 - 5_000));

    // The feed saw an idle source: everything committed before then is applied.
    t.feed.handler?.onCaughtUp?.(new Date(T0 - 1_000));
    expect(t.ingestor.stats().appliedThrough).toEqual(new Date(T0 - 1_000));
    await expect(t.ingestor.publishWatermark()).resolves.toEqual(new Date(T0 - 1_000));
    await t.ingestor.publishWatermark();
    expect(watermarks(t.online)).toEqual([new Date(T0 - 1_000)]);

    // A catch-up that arrives while transactions are pending, or an older one, does not move it.
    t.online.hold();
    void t.feed.deliver(tx('0/2', [installment('7')], { commitTime: new Date(T0 - 500) }));
    await until(() => t.online.writes.length === 2);
    t.feed.handler?.onCaughtUp?.(new Date(T0));
    t.feed.handler?.onCaughtUp?.(new Date(T0 - 2_000));
    expect(t.ingestor.appliedThrough()).toEqual(new Date(T0 - 1_000));
    t.online.release();
    await until(() => t.feed.acks.length === 2);
    expect(t.ingestor.appliedThrough()).toEqual(new Date(T0 - 500));
  });

  it('does not move while applying fails, and publishing rejects while the store does', async () => {
    const t = await setup();
    t.source.seed('customer', '7');
    t.online.down = true;
    void t.feed.deliver(tx('0/1', [installment('7')], { commitTime: new Date(T0 - 5_000) }));
    await until(() => t.ingestor.stats().state === 'retrying');
    t.feed.handler?.onCaughtUp?.(new Date(T0));
    expect(t.ingestor.appliedThrough()).toBeUndefined();
    t.online.down = false;
    await until(() => t.feed.acks.length === 1);
    t.online.down = true;
    await expect(t.ingestor.publishWatermark()).rejects.toThrow('redis down');
    t.online.down = false;
    await expect(t.ingestor.publishWatermark()).resolves.toEqual(new Date(T0 - 5_000));
    expect(watermarks(t.online)).toEqual([new Date(T0 - 5_000)]);
  });
});

describe('CdcIngestor.rollover', () => {
  it('recomputes, in chunks, the entities on each window edge with the views that window, and notifies them', async () => {
    const t = await setup();
    t.source.seed('customer', '1', '2', '3');
    t.source.seed('merchant', '9');
    const asked: string[] = [];
    const edges: WindowEdgeSource = {
      entitiesOnEdge: async (edge) => {
        asked.push(`${edge.entity}:${edge.table}`);
        if (edge.table === 'installments') return ['1', '2', '3'];
        if (edge.table === 'orders' && edge.entity === 'merchant') return ['9'];
        return [];
      },
    };
    const result = await t.ingestor.rollover(edges, new Date('2026-03-15T00:00:01Z'), 2);
    expect(asked.sort()).toEqual(windowEdges(bnplCatalog, new Date('2026-03-15')).map((e) => `${e.entity}:${e.table}`).sort());
    expect(result).toEqual({ entities: 4, rows: 4 });
    // Two chunks of instalment customers (2 + 1), then the merchant: only the windowed views are recomputed.
    const calls = t.source.calls.map((c) => `${c.view}:${c.ids.join(',')}`);
    expect(calls).toEqual(['customer_repayment:1,2', 'customer_repayment:3', 'merchant_risk:9']);
    expect(written(t.online).flatMap((w) => w.rows.map((r) => `${r.view}/${r.key.id}`))).toEqual(['customer_repayment/1', 'customer_repayment/2', 'customer_repayment/3', 'merchant_risk/9']);
    expect(written(t.online).every((w) => w.options?.mode === 'if-newer')).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(t.notifier.notices.map((n) => [n.entity, n.entityIds.join(','), n.sourceLsn])).toEqual([
      ['customer', '1,2', 0n],
      ['customer', '3', 0n],
      ['merchant', '9', 0n],
    ]);
  });

  it('gives way to a streamed backlog before each chunk, and goes on after yieldMs under sustained load', async () => {
    const t = await setup({ maxBatchTransactions: 2 });
    t.source.seed('customer', '1', '7');
    const edges: WindowEdgeSource = { entitiesOnEdge: async (edge) => (edge.table === 'installments' ? ['1'] : []) };
    // A streamed batch held in its write, and a batch's worth more pending behind it.
    t.online.hold();
    void t.feed.deliver(tx('0/1', [installment('7')]));
    void t.feed.deliver(tx('0/2', [installment('7')]));
    await until(() => t.online.writes.length === 1, 'the first batch');
    const rolling = t.ingestor.rollover(edges, new Date('2026-03-15'), 250, 10_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.source.calls.some((c) => c.ids.includes('1'))).toBe(false);
    t.online.release();
    await rolling;
    expect(t.feed.acks).toEqual(['0/1', '0/2']);
    const order = t.source.calls.map((c) => c.ids.join(','));
    expect(order.indexOf('1')).toBeGreaterThan(order.lastIndexOf('7'));

    // A backlog that never clears: the chunk runs once yieldMs has passed.
    const u = await setup({ maxBatchTransactions: 2 });
    u.source.seed('customer', '1', '7');
    u.online.hold();
    void u.feed.deliver(tx('0/1', [installment('7')]));
    void u.feed.deliver(tx('0/2', [installment('7')]));
    await until(() => u.online.writes.length === 1, 'the first batch');
    const late = u.ingestor.rollover(edges, new Date('2026-03-15'), 250, 30);
    await new Promise((r) => setTimeout(r, 100));
    u.online.release();
    await late;
    await until(() => u.feed.acks.length === 2, 'both batches');
    // The chunk went between the two batches instead of waiting for the backlog to clear.
    expect(u.source.calls.map((c) => c.ids.join(','))).toEqual(['7', '7', '1', '7', '7']);
  });

  it('rejects when the store fails, so the caller can retry the day', async () => {
    const t = await setup();
    t.source.seed('customer', '1');
    t.online.down = true;
    const edges: WindowEdgeSource = { entitiesOnEdge: async (edge) => (edge.table === 'installments' ? ['1'] : []) };
    await expect(t.ingestor.rollover(edges, new Date('2026-03-15'))).rejects.toThrow('redis down');
  });
});

describe('CdcIngestor visibility', () => {
  it('reads the source only once the transactions are visible to new reads', async () => {
    const t = await setup();
    t.source.seed('customer', '7');
    t.feed.visibility = deferred();
    void t.feed.deliver(tx('0/2A', [installment('7')]));
    await new Promise((r) => setTimeout(r, 20));
    expect(t.log).toContain('visible 0/2A');
    expect(t.source.calls).toHaveLength(0);
    expect(t.feed.acks).toEqual([]);
    t.feed.visibility.resolve();
    t.feed.visibility = null;
    await until(() => t.feed.acks.length === 1, 'the ack');
    expect(t.source.calls.length).toBeGreaterThan(0);
    expect(t.log.indexOf('visible 0/2A')).toBeLessThan(t.log.indexOf('write'));
  });
});
