import { Client } from 'pg';
import { compareLsn, type ChangeFeedHandler, type SourceTransaction } from '@bnpl/cdc';
import { bnplCatalog, sourceColumnsRead } from '@bnpl/feature-definitions';
import { createTestDatabase, makeTempDir, startEmbeddedPostgres, type RunningPostgres, type TestDatabase } from '@bnpl/service-launchers';
import { migrateDatabase } from '../lib/data-source.factory';
import { SourceDatabase } from '../lib/source-database';
import { ASYNC_COMMIT_WARNING, PgLogicalChangeFeed } from './pg-logical-change-feed';
import { PostgresWindowEdgeSource } from './postgres-window-edge-source';

/** What the cdc-ingestor publishes: per table, the columns the catalog's views read. */
const TABLES = Object.fromEntries(sourceColumnsRead(bnplCatalog));
const PII = ['email', 'full_name', 'date_of_birth'];

/** Records what the feed hands over; acknowledges only when told to. */
class Recorder implements ChangeFeedHandler {
  readonly transactions: SourceTransaction[] = [];
  reconnects = 0;
  errors: Error[] = [];
  onTransaction(transaction: SourceTransaction): void {
    this.transactions.push(transaction);
  }
  onReconnect(): void {
    this.reconnects++;
  }
  onError(error: Error): void {
    this.errors.push(error);
  }
  isStalled(): boolean {
    return false;
  }
  readonly caughtUp: Date[] = [];
  onCaughtUp(at: Date): void {
    this.caughtUp.push(at);
  }
  async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.transactions.length < count) {
      if (Date.now() > deadline) throw new Error(`got ${this.transactions.length} transactions, expected ${count}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function sql(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Drops a slot once its walsender is gone: the server ends it a moment after the client disconnects. */
async function dropSlot(db: SourceDatabase, slotName: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await db.query(`SELECT pg_drop_replication_slot($1)`, [slotName]);
      return;
    } catch (error) {
      if (!/is active for PID/.test(String(error)) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const newCustomer = (id: number) =>
  `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor) VALUES (${id}, 'c${id}@example.com', 'C ${id}', 'GB', 'GBP', 2, 100000)`;

describe('PgLogicalChangeFeed (real PostgreSQL, pgoutput)', () => {
  const dir = makeTempDir('bnpl-cdc-feed-');
  let pg: RunningPostgres;
  let db: SourceDatabase;
  let slot = 0;
  const feedFor = (slotName: string) => new PgLogicalChangeFeed(db, { url: pg.url, slotName, publicationName: 'bnpl_test_pub', tables: TABLES, reconnectInitialMs: 50 });

  beforeAll(async () => {
    // A server of its own, not the run's shared one: a server setting, a role, and WAL lag measured cluster-wide.
    // Keepalives every 1 s (half the timeout) instead of 30 s, so the idle test is quick.
    pg = await startEmbeddedPostgres({ dataDir: `${dir.path}/pg`, durable: false, settings: { wal_sender_timeout: '2s' } });
    await migrateDatabase({ type: 'postgres', url: pg.url });
    db = new SourceDatabase({ type: 'postgres', url: pg.url });
    await db.start();
  });
  afterAll(async () => {
    await db?.close();
    await pg?.stop();
    dir.remove();
  });

  it('creates the publication and slot, hands over whole transactions in commit order with new rows and old keys', async () => {
    const slotName = `feed_${++slot}`;
    const feed = feedFor(slotName);
    const recorder = new Recorder();
    await feed.start(recorder);
    try {
      const published = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_publication_tables WHERE pubname = 'bnpl_test_pub' ORDER BY 1`);
      expect(published.map((r) => r.tablename)).toEqual(Object.keys(TABLES).sort());
      await sql(pg.url, `BEGIN; ${newCustomer(1)}; ${newCustomer(2)}; COMMIT`);
      await sql(pg.url, `UPDATE customers SET credit_limit_minor = 5 WHERE id = 1`);
      await sql(pg.url, `DELETE FROM customers WHERE id = 2`);
      await recorder.waitFor(3);
      const [insert, update, remove] = recorder.transactions;
      expect(insert.changes.map((c) => [c.table, c.op, c.newRow?.id])).toEqual([
        ['customers', 'insert', '1'],
        ['customers', 'insert', '2'],
      ]);
      expect(insert.changes[0].columns).toContain('credit_limit_minor');
      expect(update.changes[0]).toMatchObject({ op: 'update', newRow: { id: '1', credit_limit_minor: '5' } });
      expect(remove.changes[0]).toMatchObject({ op: 'delete', oldRow: { id: '2' } });
      expect(compareLsn(insert.lsn, update.lsn)).toBeLessThan(0);
      expect(compareLsn(update.lsn, remove.lsn)).toBeLessThan(0);
      expect(Math.abs(update.commitTime.getTime() - Date.now())).toBeLessThan(60_000);
      expect((await feed.status()).slotExists).toBe(true);
      // Each transaction carries its xid; committed ones are visible to new reads.
      expect(recorder.transactions.every((t) => typeof t.xid === 'number' && t.xid > 0)).toBe(true);
      await expect(feed.waitVisible(recorder.transactions)).resolves.toBeUndefined();
    } finally {
      await feed.stop();
      await dropSlot(db, slotName);
    }
  });

  it('publishes only the columns features read: no e-mail, name or date of birth in any new or old row', async () => {
    const slotName = `feed_${++slot}`;
    const feed = feedFor(slotName);
    const recorder = new Recorder();
    await feed.start(recorder);
    try {
      const published = await db.query<{ tablename: string; attnames: string[] }>(
        `SELECT tablename::text AS tablename, attnames::text[] AS attnames FROM pg_publication_tables WHERE pubname = 'bnpl_test_pub'`,
      );
      const customers = published.find((r) => r.tablename === 'customers');
      expect([...(customers?.attnames ?? [])].sort()).toEqual([...TABLES['customers']].sort());
      for (const row of published) expect(row.attnames).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(email|full_name|date_of_birth)$/)]));
      const beforeSetup = recorder.transactions.length;
      await sql(
        pg.url,
        `${newCustomer(30)}; ${newCustomer(31)};
         INSERT INTO merchants (id, name, category, country) VALUES (30, 'm30', 'fashion', 'GB');
         INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status) VALUES (300, 30, 30, 1000, 'GBP', 1, 'active')`,
      );
      // The set-up is one transaction; count from after it has arrived, or the last change below may be missed.
      await recorder.waitFor(beforeSetup + 1);
      const before = recorder.transactions.length;
      // A PII-only update, an update that moves an order to another customer, and deletes: every old row kind.
      await sql(pg.url, `UPDATE customers SET email = 'changed30@example.com', full_name = 'Changed', date_of_birth = '1990-01-02' WHERE id = 30`);
      await sql(pg.url, `UPDATE orders SET customer_id = 31, status = 'completed' WHERE id = 300`);
      await sql(pg.url, `DELETE FROM orders WHERE id = 300`);
      await sql(pg.url, `DELETE FROM customers WHERE id = 30`);
      await recorder.waitFor(before + 4);
      const changes = recorder.transactions.flatMap((t) => t.changes);
      const text = JSON.stringify(changes);
      for (const value of ['c30@example.com', 'changed30@example.com', 'C 30', 'Changed', '1990-01-02', ...PII]) expect(text).not.toContain(value);
      for (const change of changes) expect(change.columns.filter((c) => PII.includes(c))).toEqual([]);
      const moved = changes.find((c) => c.table === 'orders' && c.op === 'update');
      // The old row carries the keys (the replica identity), so the customer the order left is recomputed too.
      expect(moved).toMatchObject({ newRow: { customer_id: '31', status: 'completed' }, oldRow: { id: '300', customer_id: '30', merchant_id: '30' } });
      expect(changes.find((c) => c.table === 'orders' && c.op === 'delete')).toMatchObject({ oldRow: { id: '300', customer_id: '31', merchant_id: '30' } });
      expect(changes.find((c) => c.table === 'customers' && c.op === 'delete')).toMatchObject({ oldRow: { id: '30' } });
    } finally {
      await feed.stop();
      await dropSlot(db, slotName);
    }
  });

  it('narrows a publication that published whole tables, or more tables, to the columns features read', async () => {
    await sql(pg.url, `CREATE TABLE IF NOT EXISTS customer_notes (id bigint PRIMARY KEY, customer_id bigint, note text)`);
    await sql(pg.url, `CREATE PUBLICATION bnpl_wide_pub FOR TABLE customers, orders, customer_notes`);
    const slotName = `feed_${++slot}`;
    const feed = new PgLogicalChangeFeed(db, { url: pg.url, slotName, publicationName: 'bnpl_wide_pub', tables: TABLES, reconnectInitialMs: 50 });
    const recorder = new Recorder();
    await feed.start(recorder);
    try {
      const published = await db.query<{ tablename: string; attnames: string[] }>(
        `SELECT tablename::text AS tablename, attnames::text[] AS attnames FROM pg_publication_tables WHERE pubname = 'bnpl_wide_pub' ORDER BY 1`,
      );
      expect(published.map((r) => r.tablename)).toEqual(Object.keys(TABLES).sort());
      // The replica identity's columns ride along (PostgreSQL requires them): orders' id besides what views read.
      expect([...(published.find((r) => r.tablename === 'orders')?.attnames ?? [])].sort()).toEqual([...new Set([...TABLES['orders'], 'id'])].sort());
      expect([...(published.find((r) => r.tablename === 'customers')?.attnames ?? [])].sort()).toEqual([...TABLES['customers']].sort());
      await sql(pg.url, `${newCustomer(40)}; INSERT INTO customer_notes VALUES (1, 40, 'secret')`);
      await recorder.waitFor(1);
      expect(recorder.transactions[0].changes.map((c) => c.table)).toEqual(['customers']);
      expect(JSON.stringify(recorder.transactions)).not.toMatch(/c40@example\.com|secret|customer_notes/);
    } finally {
      await feed.stop();
      await dropSlot(db, slotName);
    }
  });

  it('refuses a table whose replica identity is FULL (it could only be published whole), naming the fix', async () => {
    await sql(pg.url, `ALTER TABLE merchants REPLICA IDENTITY FULL`);
    try {
      const feed = new PgLogicalChangeFeed(db, { url: pg.url, slotName: 'never', publicationName: 'bnpl_full_pub', tables: TABLES });
      await expect(feed.start(new Recorder())).rejects.toThrow(/table public."merchants" has REPLICA IDENTITY FULL: .*run the migrations/);
      // Nothing was created: a column list over a FULL table makes PostgreSQL refuse the table's UPDATEs and DELETEs.
      expect(await db.query(`SELECT 1 FROM pg_publication WHERE pubname = 'bnpl_full_pub'`)).toEqual([]);
    } finally {
      await sql(pg.url, `ALTER TABLE merchants REPLICA IDENTITY DEFAULT`);
    }
  });

  it('replays after a restart exactly the transactions not acknowledged', async () => {
    const slotName = `feed_${++slot}`;
    const first = feedFor(slotName);
    const seen = new Recorder();
    await first.start(seen);
    await sql(pg.url, newCustomer(10));
    await sql(pg.url, newCustomer(11));
    await sql(pg.url, newCustomer(12));
    await seen.waitFor(3);
    await first.acknowledge(seen.transactions[0].lsn);
    await first.stop();

    const second = feedFor(slotName);
    const replayed = new Recorder();
    await second.start(replayed);
    try {
      await replayed.waitFor(2);
      await new Promise((r) => setTimeout(r, 300));
      expect(replayed.transactions.map((t) => t.changes[0].newRow?.id)).toEqual(['11', '12']);
      expect(replayed.transactions.map((t) => t.lsn)).toEqual(seen.transactions.slice(1).map((t) => t.lsn));
    } finally {
      await second.stop();
      await dropSlot(db, slotName);
    }
  });

  it('acknowledges keepalive positions when idle, so WAL written elsewhere is not held as lag', async () => {
    const slotName = `feed_${++slot}`;
    const feed = feedFor(slotName);
    const recorder = new Recorder();
    await feed.start(recorder);
    try {
      // Insert positions: WAL generated, whether or not written yet (this server commits asynchronously, so
      // the write position can lag the insert under load).
      const [start] = await db.query<{ lsn: string }>(`SELECT pg_current_wal_insert_lsn()::text AS lsn`);
      await sql(pg.url, `CREATE TABLE IF NOT EXISTS unrelated (v text); INSERT INTO unrelated SELECT repeat('x', 1000) FROM generate_series(1, 2000)`);
      const [written] = await db.query<{ bytes: number }>(`SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::float8 AS bytes`, [start.lsn]);
      // The server sends a keepalive at least every wal_sender_timeout / 2; the embedded server uses a short one.
      const deadline = Date.now() + 30_000;
      let status = await feed.status();
      while (Date.now() < deadline) {
        // Acknowledge whatever was handed over (empty transactions for the unpublished table), as the ingestor does.
        for (const t of recorder.transactions) await feed.acknowledge(t.lsn);
        status = await feed.status();
        if (status.lagBytes < 64 * 1024) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(written.bytes).toBeGreaterThan(1_000_000);
      expect(status.lagBytes).toBeLessThan(64 * 1024);
      // Idle with everything acknowledged: the feed says so, with an instant at least a second back.
      // Its own deadline: on a loaded machine the lag loop above may have used most of its own.
      const acknowledgedAt = Date.now();
      const caughtUpDeadline = acknowledgedAt + 15_000;
      while (!recorder.caughtUp.some((at) => at.getTime() >= acknowledgedAt - 1_000) && Date.now() < caughtUpDeadline) await new Promise((r) => setTimeout(r, 100));
      const last = recorder.caughtUp.at(-1);
      expect(last?.getTime()).toBeGreaterThanOrEqual(acknowledgedAt - 1_000);
      expect(last?.getTime()).toBeLessThanOrEqual(Date.now() - 1_000);
    } finally {
      await feed.stop();
      await dropSlot(db, slotName);
    }
  });

  it('refuses to start without REPLICATION, naming the fix', async () => {
    await sql(pg.url, `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'plain') THEN CREATE ROLE plain LOGIN PASSWORD 'plain'; END IF; END $$`);
    const url = pg.url.replace(/\/\/[^@]*@/, '//plain:plain@');
    const plainDb = new SourceDatabase({ type: 'postgres', url });
    await plainDb.start();
    try {
      const feed = new PgLogicalChangeFeed(plainDb, { url, slotName: 'never', publicationName: 'bnpl_test_pub', tables: TABLES });
      await expect(feed.start(new Recorder())).rejects.toThrow(/lacks the REPLICATION attribute: ALTER ROLE/);
    } finally {
      await plainDb.close();
    }
  });

  it('warns at start when the source commits asynchronously (this server runs with synchronous_commit off), and not when its database sets it on', async () => {
    const warnings: string[] = [];
    /** Starts and stops a feed reading through `source`, dropping its slot after. */
    const startAndStop = async (source: SourceDatabase) => {
      const slotName = `feed_${++slot}`;
      const feed = new PgLogicalChangeFeed(source, { url: pg.url, slotName, publicationName: 'bnpl_test_pub', tables: TABLES, onWarning: (m) => warnings.push(m) });
      await feed.start(new Recorder());
      await feed.stop();
      await dropSlot(db, slotName);
    };
    await startAndStop(db);
    expect(warnings).toEqual([ASYNC_COMMIT_WARNING]);

    const database = (await db.query<{ name: string }>(`SELECT current_database() AS name`))[0].name;
    await sql(pg.url, `ALTER DATABASE "${database}" SET synchronous_commit = on`);
    // A database setting reaches new sessions only: the feed's own connection is opened afresh.
    const fresh = new SourceDatabase({ type: 'postgres', url: pg.url });
    await fresh.start();
    try {
      await startAndStop(fresh);
      expect(warnings).toHaveLength(1);
    } finally {
      await sql(pg.url, `ALTER DATABASE "${database}" RESET synchronous_commit`);
      await fresh.close();
    }
  });

  it('waits while a transaction is still in progress', async () => {
    const feed = feedFor('never_started');
    const open = new Client({ connectionString: pg.url });
    await open.connect();
    try {
      await open.query('BEGIN');
      const [{ xid }] = (await open.query(`SELECT pg_current_xact_id()::text::bigint % 4294967296 AS xid`)).rows;
      const running = { lsn: '0/1', commitTime: new Date(), xid: Number(xid), changes: [], truncatedTables: [] };
      await expect(feed.waitVisible([running], 200)).rejects.toThrow(/not visible after 200 ms/);
      await open.query('COMMIT');
      await expect(feed.waitVisible([running], 2_000)).resolves.toBeUndefined();
    } finally {
      await open.end();
    }
  });

  it('rejects invalid slot names before any I/O', () => {
    expect(() => feedFor('Bad-Name')).toThrow(/invalid slot name "Bad-Name"/);
  });
});

describe('PostgresWindowEdgeSource (real PostgreSQL)', () => {
  let pg: TestDatabase;
  let db: SourceDatabase;

  beforeAll(async () => {
    pg = await createTestDatabase();
    db = new SourceDatabase({ type: 'postgres', url: pg.url });
    await db.start();
    await sql(
      pg.url,
      `${newCustomer(1)}; ${newCustomer(2)}; ${newCustomer(3)};
       INSERT INTO merchants (id, name, category, country) VALUES (1, 'm', 'fashion', 'GB');
       INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at)
         VALUES (10, 1, 1, 3000, 'GBP', 1, 'active', '2026-03-14 23:59:59+00'), (20, 2, 1, 3000, 'GBP', 1, 'active', '2026-03-15 00:00:00+00'),
                (30, 3, 1, 3000, 'GBP', 1, 'active', '2026-03-15 01:00:00+01');
       INSERT INTO installments (id, order_id, customer_id, seq, amount_minor, currency, due_date, status)
         VALUES (101, 10, 1, 1, 3000, 'GBP', '2026-02-13', 'scheduled'), (201, 20, 2, 1, 3000, 'GBP', '2026-02-14', 'scheduled')`,
    );
  });
  afterAll(async () => {
    await db?.close();
    await pg?.stop();
  });

  it('finds the entities with rows on the edge dates, by UTC date for timestamps', async () => {
    const edges = new PostgresWindowEdgeSource(db);
    const base = { entity: 'customer', views: ['customer_spending'], columnType: 'TIMESTAMP' as const };
    // 2026-03-15 01:00+01 is 2026-03-15 00:00 UTC: on the date; 23:59:59 the day before is not.
    expect((await edges.entitiesOnEdge({ ...base, table: 'orders', keyColumn: 'customer_id', timeColumn: 'created_at', dates: ['2026-03-15'] })).sort()).toEqual(['2', '3']);
    expect(await edges.entitiesOnEdge({ ...base, table: 'orders', keyColumn: 'merchant_id', timeColumn: 'created_at', dates: ['2026-03-15'] })).toEqual(['1']);
    expect(await edges.entitiesOnEdge({ ...base, table: 'installments', keyColumn: 'customer_id', timeColumn: 'due_date', columnType: 'DATE', dates: ['2026-02-13', '2026-03-15'] })).toEqual(['1']);
  });
});
