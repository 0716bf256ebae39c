import { createTestDatabase, freePort, makeTempDir, startEmbeddedPostgres, type TestDatabase } from '@bnpl/service-launchers';
import { migrateDatabase } from './data-source.factory';
import { migrations } from '../migrations';
import { SourceDatabase } from './source-database';
import { SourceRepository } from './source.repository';
import { DatabaseUnavailableError } from '../errors/database-unavailable.error';

describe('source database (real PostgreSQL)', () => {
  let pg: TestDatabase;

  beforeAll(async () => {
    pg = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await pg.stop();
  });

  it('applies the migrations once; a second run is a no-op', async () => {
    // Every migration of the list, in its order (the list is where a migration is added).
    expect(await migrateDatabase({ type: 'postgres', url: pg.url })).toEqual(migrations.map((m) => m.name));
    expect(migrations.map((m) => m.name).slice(0, 2)).toEqual(['SourceSchema1732406400000', 'Jobs1764000000000']);
    expect(await migrateDatabase({ type: 'postgres', url: pg.url })).toEqual([]);
  });

  it('creates the source tables with the indexes the feature queries need, and replica identities over the keys only', async () => {
    const db = new SourceDatabase({ type: 'postgres', url: pg.url });
    await db.start();
    try {
      const indexes = await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
      expect(indexes.map((r) => r.indexname)).toEqual(
        expect.arrayContaining(['installments_customer_due_idx', 'orders_customer_created_idx', 'orders_merchant_created_idx', 'payments_customer_attempted_idx']),
      );
      const identity = await db.query<{ relname: string; relreplident: string }>(
        `SELECT relname, relreplident FROM pg_class WHERE relname IN ('customers','merchants','orders','installments','payments') ORDER BY 1`,
      );
      // Keys only (never FULL): the publication's column lists leave PII out, and must cover the identity.
      expect(Object.fromEntries(identity.map((r) => [r.relname, r.relreplident]))).toEqual({ customers: 'd', installments: 'i', merchants: 'd', orders: 'i', payments: 'i' });
      const types = await db.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'payments' AND column_name IN ('amount_minor', 'attempted_at') ORDER BY 1`,
      );
      expect(types).toEqual([
        { column_name: 'amount_minor', data_type: 'bigint' },
        { column_name: 'attempted_at', data_type: 'timestamp with time zone' },
      ]);
    } finally {
      await db.close();
    }
  });

  it('returns plain records without PII', async () => {
    const db = new SourceDatabase({ type: 'postgres', url: pg.url });
    await db.start();
    try {
      await db.query(
        `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
         VALUES (7, 'ann@example.com', 'Ann Example', 'GB', 'GBP', 2, 250000, '2024-03-01T10:00:00Z', '2024-03-02T10:00:00Z')`,
      );
      const repo = new SourceRepository(db);
      const customer = await repo.findCustomer('7');
      expect(customer).toEqual({
        id: '7',
        country: 'GB',
        currency: 'GBP',
        kycLevel: 2,
        creditLimit: { amountMinor: 250000, currency: 'GBP' },
        status: 'active',
        createdAt: new Date('2024-03-01T10:00:00Z'),
        updatedAt: new Date('2024-03-02T10:00:00Z'),
      });
      expect(Object.keys(customer!)).not.toEqual(expect.arrayContaining(['email']));
      expect(await repo.findCustomer('8')).toBeNull();
      expect(await repo.countRows()).toEqual({ customers: 1, merchants: 0, orders: 0, installments: 0, payments: 0 });
    } finally {
      await db.close();
    }
  });

  it('fails fast while PostgreSQL is down and reconnects by itself when it is back', async () => {
    const deadDir = makeTempDir('bnpl-db-late-');
    const port = await freePort();
    const db = new SourceDatabase({ type: 'postgres', url: `postgres://postgres:postgres@127.0.0.1:${port}/bnpl` });
    const started = Date.now();
    await db.start();
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(db.ping()).rejects.toThrow(/^the source database is unavailable; retry later$/);
    await expect(db.ping()).rejects.toMatchObject({ target: expect.stringMatching(/^127\.0\.0\.1:\d+\/bnpl$/), detail: expect.stringMatching(/ECONNREFUSED|not connected/) });
    const late = await startEmbeddedPostgres({ dataDir: `${deadDir.path}/pg`, port, durable: false });
    try {
      const deadline = Date.now() + 15_000;
      while (!(await db.ping().then(() => true, () => false)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(db.isConnected).toBe(true);
    } finally {
      await db.close();
      await late.stop();
      deadDir.remove();
    }
  });
});
