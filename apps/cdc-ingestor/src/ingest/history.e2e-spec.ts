import { randomBytes } from 'node:crypto';
import { bnplCatalog, type FeatureRow } from '@bnpl/feature-definitions';
import { featureHistoryTopic, type FeatureHistory } from '@bnpl/messaging';
import { GooglePubSubBroker } from '@bnpl/messaging-pubsub';
import { DuckDBOfflineStore } from '@bnpl/offline-store-duckdb';
import { PostgresSourceFeatureReader, SourceDatabase } from '@bnpl/postgres';
import { makeTempDir } from '@bnpl/service-launchers';
import {
  awayFromUtcMidnight,
  getJson,
  runSql,
  seedSyntheticSource,
  SourceChangeWriter,
  startTestStack,
  waitFor,
  waitForJob,
  waitForSlotCaughtUp,
  type StartedService,
  type TestStack,
} from '@bnpl/testing';

const CUSTOMERS = 40;
const SERVICE = 'credit_decision_v1';
/** Longer than the suite takes on a loaded machine (about 35 s in CI), start-up included. */
const SUITE_SPAN_MS = 180_000;

/**
 * History from the stream (real PostgreSQL logical replication, Redis, the Pub/Sub emulator, DuckDB; the
 * services as processes): the cdc-ingestor publishes every row it recomputes, dated at the commit that
 * made it true, and a batch-processor appends them to the offline store. A training set over the period
 * the stream covered then equals, row for row, the source itself read right after each change; and the
 * rows the stream recorded for changes with times of their own equal what a backfill computes for the
 * same instants.
 */
describe('history from the stream (real PostgreSQL, Redis, Pub/Sub emulator, DuckDB)', () => {
  const dir = makeTempDir('bnpl-stream-history-');
  const duckdbPath = `${dir.path}/offline.duckdb`;
  // Replication slots are server-wide: a name of this suite's own.
  const slot = `hist_${randomBytes(4).toString('hex')}`;
  let stack: TestStack;
  let api: string;
  let processor: StartedService;
  let db: SourceDatabase;
  let source: PostgresSourceFeatureReader;
  let broker: GooglePubSubBroker;
  const recorded: FeatureHistory[] = [];
  let closeSubscription: (() => Promise<void>) | undefined;

  const caughtUp = () => waitForSlotCaughtUp(stack.pg.url, slot);
  /** Every history message published so far has been written by the batch-processor (both subscriptions get each one). */
  const historyWritten = () =>
    waitFor('the batch-processor to write every history message', async () => {
      const metrics = (await getJson(`${processor.url}/metrics`)).body as string;
      const acked = Number(/^bnpl_messaging_messages_total\{[^}]*topic="bnpl\.features\.history"[^}]*outcome="acked"[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? /^bnpl_messaging_messages_total\{[^}]*outcome="acked"[^}]*topic="bnpl\.features\.history"[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? -1);
      return acked === recorded.length && recorded.length > 0;
    }, 60_000, 200);

  beforeAll(async () => {
    // The expected values hold ages and day windows: the whole suite runs on one UTC date.
    await awayFromUtcMidnight(SUITE_SPAN_MS);
    stack = await startTestStack({ pubsub: true });
    await seedSyntheticSource(stack.pg.url, CUSTOMERS);
    db = new SourceDatabase({ type: 'postgres', url: stack.pg.url, poolSize: 4 });
    await db.start();
    source = new PostgresSourceFeatureReader(bnplCatalog, (sql, params) => db.query(sql, params));
    // This suite's own subscription: every history message, as the batch-processor gets them.
    const pubsub = stack.pubsub as NonNullable<TestStack['pubsub']>;
    broker = new GooglePubSubBroker({ projectId: pubsub.projectId, emulatorHost: pubsub.host });
    const subscription = await broker.subscribe(
      { topic: featureHistoryTopic.name, subscription: 'test.history', deadLetterTopic: 'test.history.dlq', maxDeliveries: 5, maxInFlight: 50, drainTimeoutMs: 1_000 },
      (delivery) => {
        recorded.push(featureHistoryTopic.decode(delivery.data));
        delivery.ack();
      },
      () => undefined,
    );
    closeSubscription = () => subscription.close();
    // The batch-processor first: its subscription must exist before anything is published.
    [{ url: api }, processor] = await Promise.all([stack.startService('rest-gateway'), stack.startService('batch-processor', { OFFLINE_STORE: 'duckdb', OFFLINE_STORE_PATH: duckdbPath })]);
    await stack.startService('cdc-ingestor', { CDC_SLOT_NAME: slot, LOG_LEVEL: 'log' });
  }, SUITE_SPAN_MS + 120_000);

  afterAll(async () => {
    await closeSubscription?.();
    await broker?.close();
    await db?.close();
    await stack?.stop();
    dir.remove();
  });

  it('builds a training set over the stream\'s period equal, row for row, to the source read right after each change', async () => {
    // The history before the stream's first change: a full materialization.
    const job = (await (await fetch(`${api}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'materialize' }) })).json()) as { job: { id: string } };
    expect((await waitForJob(api, job.job.id)).job.state).toBe('succeeded');
    await caughtUp();

    // Changes of every kind, one at a time; right after each, the source itself is the expected answer.
    const writer = await SourceChangeWriter.open(stack.pg.url, { customers: CUSTOMERS, seed: 20261201 });
    const customerIds = Array.from({ length: CUSTOMERS }, (_, i) => String(i + 1));
    const merchantIds = ['1', '2', '3'];
    const expected = new Map<number, Map<string, FeatureRow | null>>();
    const instants: number[] = [];
    try {
      for (let k = 0; k < 30; k++) {
        await writer.step();
        // After the commit and before the next one: the state the instant holds. The history dates a commit
        // rounded up to its millisecond's end, so the next millisecond is the first that surely holds it.
        const instant = Date.now() + 1;
        const values = new Map<string, FeatureRow | null>();
        for (const view of bnplCatalog.resolveService(SERVICE).storedViews) {
          const ids = view.entity.name === 'merchant' ? merchantIds : customerIds;
          (await source.readView(view.name, ids, new Date(instant))).forEach((row, i) => values.set(`${view.name}/${ids[i]}`, row));
        }
        expected.set(instant, values);
        instants.push(instant);
        // One transaction per batch: a batch holding two changes of one entity records only the second (README).
        await caughtUp();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(Object.values(writer.counts).filter((n) => n > 0).length).toBeGreaterThanOrEqual(6);
    } finally {
      await writer.close();
    }
    await historyWritten();
    // DuckDB allows one process per file: stop the batch-processor before reading it here.
    await processor.stop();

    const store = await DuckDBOfflineStore.open({ path: duckdbPath, catalog: bnplCatalog });
    try {
      const entityRows = instants.flatMap((instant) => customerIds.map((id) => ({ customer_id: id, merchant_id: merchantIds[Number(id) % 3], event_timestamp: new Date(instant) })));
      const result = await store.getHistoricalFeatures({ entityRows, featureService: SERVICE, output: { kind: 'memory' } });
      let compared = 0;
      const differences: unknown[] = [];
      for (const [i, row] of (result.rows ?? []).entries()) {
        const { event_timestamp: at, customer_id: customer, merchant_id: merchant } = entityRows[i];
        const want = expected.get(at.getTime()) as Map<string, FeatureRow | null>;
        result.featureNames.forEach((ref, j) => {
          const [view, feature] = ref.split(':');
          const id = bnplCatalog.getView(view).entity.name === 'merchant' ? merchant : customer;
          const value = want.get(`${view}/${id}`)?.[feature] ?? null;
          const got = row.features[j];
          const same = value === null ? got.status === 'DEFAULT' : got.status === 'PRESENT' && JSON.stringify(got.value) === JSON.stringify(value);
          if (!same && differences.length < 5) differences.push({ at: at.toISOString(), customer, ref, expected: value, got });
          compared++;
        });
      }
      expect(differences).toEqual([]);
      expect(compared).toBe(instants.length * CUSTOMERS * result.featureNames.length);
    } finally {
      await store.close();
    }
  });

  it('records, for changes with times of their own, exactly what a backfill computes for the same instants', async () => {
    const before = recorded.length;
    // Customers created now, whose every row carries its time: orders and instalments due later (a backfill
    // takes a row dated today to exist all day: README), payments attempted and instalments paid at the
    // moment they are written.
    const ids = [1001, 1002, 1003];
    for (const id of ids) {
      await runSql(stack.pg.url, `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor) VALUES (${id}, 'x@y', 'X', 'DE', 'EUR', 1, 50000)`);
      await caughtUp();
      await runSql(
        stack.pg.url,
        `INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status) VALUES (${id}, ${id}, 1, 9000, 'EUR', 3, 'active')`,
        `INSERT INTO installments (id, order_id, customer_id, seq, amount_minor, currency, due_date, status)
         SELECT ${id} * 10 + s, ${id}, ${id}, s, 3000, 'EUR', (now() + make_interval(days => s * 30))::date, 'scheduled' FROM generate_series(1, 3) s`,
      );
      await caughtUp();
      await runSql(stack.pg.url, `INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status, failure_reason) VALUES (${id} * 10 + 1, ${id}, 3000, 'EUR', 'failed', 'card_expired')`);
      await caughtUp();
      await runSql(
        stack.pg.url,
        `UPDATE installments SET status = 'paid', paid_at = now(), updated_at = now() WHERE id = ${id} * 10 + 1`,
        `INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status) VALUES (${id} * 10 + 1, ${id}, 3000, 'EUR', 'succeeded')`,
      );
      await caughtUp();
    }
    await waitFor('their history rows', async () => recorded.slice(before).flatMap((m) => m.rows).filter((r) => r.entityId === '1003').length >= 4 || undefined, 30_000);

    let compared = 0;
    for (const message of recorded.slice(before)) {
      const view = bnplCatalog.getView(message.featureView);
      const backfillable = view.features.filter((f) => view.backfill[f.name].mode !== 'none').map((f) => f.name);
      if (backfillable.length === 0) continue;
      for (const row of message.rows.filter((r) => ids.includes(Number(r.entityId)))) {
        const [past] = await source.readViewAt(view.name, [row.entityId], row.eventTime);
        const pick = (values: FeatureRow | null | undefined) => Object.fromEntries(backfillable.map((f) => [f, values?.[f] ?? null]));
        expect({ view: view.name, id: row.entityId, at: row.eventTime.toISOString(), values: pick(row.values) }).toEqual({ view: view.name, id: row.entityId, at: row.eventTime.toISOString(), values: pick(past) });
        compared++;
      }
    }
    // Each customer: its creation, the order, the failed payment, the payment; profile and repayment rows.
    expect(compared).toBeGreaterThanOrEqual(ids.length * 4);
  });
});
