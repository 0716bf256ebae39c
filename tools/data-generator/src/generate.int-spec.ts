import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@bnpl/service-launchers';
import { Client } from 'pg';
import { DataGeneratorError, generateDataset, type GenerationProgress } from './generate';

const TABLES = ['merchants', 'customers', 'orders', 'installments', 'payments'];
const AS_OF = new Date('2025-01-01T00:00:00Z');
const CUSTOMERS = 2_000;
const ROOT = join(__dirname, '..', '..', '..');

describe('generateDataset against PostgreSQL', () => {
  let pg: TestDatabase;
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    pg = await createTestDatabase({ migrated: false });
    urlA = pg.url;
    urlB = await createDatabase(pg.url, 'bnpl_b');
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('refuses to run before the schema exists', async () => {
    await expect(generateDataset({ databaseUrl: urlA, customers: 10, seed: 1, asOf: AS_OF })).rejects.toMatchObject({ reason: 'SCHEMA_MISSING', message: expect.stringContaining('Run migrations first') });
  });

  it('generates the same bytes from the same seed, whatever the batch size', async () => {
    const progress: GenerationProgress[] = [];
    const a = await generateDataset({ databaseUrl: urlA, customers: CUSTOMERS, seed: 42, asOf: AS_OF, migrate: true, batchSize: 300 }, (p) => progress.push(p));
    const b = await generateDataset({ databaseUrl: urlB, customers: CUSTOMERS, seed: 42, asOf: AS_OF, migrate: true });
    const { migrations } = await import('@bnpl/postgres');
    expect(a.migrationsApplied).toEqual(migrations.map((m) => m.name));
    expect(a.rows).toEqual(b.rows);
    expect(a.rows.customers).toBe(CUSTOMERS);
    expect(a.rows.merchants).toBe(50);
    expect(a.rows.installments).toBeGreaterThan(CUSTOMERS * 7);
    expect(await checksums(urlA)).toEqual(await checksums(urlB));
    expect(await counts(urlA)).toEqual(a.rows);

    expect(progress[0].phase).toBe('preparing');
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'done', customersGenerated: CUSTOMERS, rowsWritten: a.rows });
  });

  it('holds referential integrity, including the denormalised customer ids', async () => {
    const violations = await query<{ check: string; n: number }>(
      urlA,
      `SELECT 'order without customer' AS check, count(*)::int AS n FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL
       UNION ALL SELECT 'installment customer differs from its order', count(*)::int FROM installments i JOIN orders o ON o.id = i.order_id WHERE i.customer_id <> o.customer_id OR i.currency <> o.currency
       UNION ALL SELECT 'payment customer differs from its installment', count(*)::int FROM payments p JOIN installments i ON i.id = p.installment_id WHERE p.customer_id <> i.customer_id OR p.currency <> i.currency
       UNION ALL SELECT 'order currency differs from its customer', count(*)::int FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.currency <> c.currency
       UNION ALL SELECT 'order without instalments', count(*)::int FROM orders o WHERE NOT EXISTS (SELECT 1 FROM installments i WHERE i.order_id = o.id)
       UNION ALL SELECT 'instalments not summing to the order', count(*)::int FROM orders o
         JOIN (SELECT order_id, sum(amount_minor) AS total, count(*) AS n FROM installments GROUP BY order_id) s ON s.order_id = o.id
         WHERE s.total <> o.amount_minor OR s.n <> o.installment_count
       UNION ALL SELECT 'event at or after as-of', count(*)::int FROM payments WHERE attempted_at >= $1
       UNION ALL SELECT 'paid instalment without exactly one success', count(*)::int FROM installments i
         WHERE (i.status = 'paid') <> ((SELECT count(*) FROM payments p WHERE p.installment_id = i.id AND p.status = 'succeeded') = 1)`,
      [AS_OF],
    );
    expect(violations.filter((v) => v.n > 0)).toEqual([]);
  });

  it('produces plausible distributions', async () => {
    const [stats] = await query<Record<string, number>>(
      urlA,
      `SELECT
         (SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id))::float / (SELECT count(*) FROM customers) AS no_orders,
         (SELECT max(n) FROM (SELECT count(*) AS n FROM orders GROUP BY customer_id) x)::int AS max_orders,
         (SELECT avg((status = 'defaulted')::int) FROM orders)::float AS defaulted,
         (SELECT avg((status = 'refunded')::int) FROM orders)::float AS refunded,
         (SELECT avg((days_past_due > 0)::int) FROM installments WHERE status = 'paid')::float AS paid_late,
         (SELECT count(*) FROM installments WHERE status = 'overdue')::int AS overdue,
         (SELECT count(*) FROM installments WHERE status = 'scheduled')::int AS scheduled,
         (SELECT avg((status = 'failed')::int) FROM payments)::float AS failed,
         (SELECT count(*) FROM customers WHERE status = 'suspended')::int AS suspended,
         (SELECT count(DISTINCT country) FROM customers)::int AS countries,
         (SELECT count(DISTINCT category) FROM merchants)::int AS categories`,
    );
    expect(stats.no_orders).toBeGreaterThan(0.05);
    expect(stats.no_orders).toBeLessThan(0.4);
    expect(stats.max_orders).toBeGreaterThanOrEqual(20);
    expect(stats.defaulted).toBeGreaterThan(0.01);
    expect(stats.defaulted).toBeLessThan(0.08);
    expect(stats.refunded).toBeGreaterThan(0.02);
    expect(stats.paid_late).toBeGreaterThan(0.02);
    expect(stats.paid_late).toBeLessThan(0.2);
    expect(stats.overdue).toBeGreaterThan(0);
    expect(stats.scheduled).toBeGreaterThan(0);
    expect(stats.failed).toBeGreaterThan(0.05);
    expect(stats.suspended).toBeGreaterThan(0);
    expect(stats.countries).toBe(6);
    expect(stats.categories).toBe(8);
  });

  it('moves the identity sequences past the generated ids', async () => {
    const [row] = await query<{ id: string; max: string }>(
      urlA,
      `INSERT INTO merchants (name, category, country) VALUES ('Probe Ltd', 'home', 'GB') RETURNING id, (SELECT max(id) FROM merchants) AS max`,
    );
    expect(Number(row.id)).toBe(Number(row.max) + 1);
  });

  it('refuses non-empty tables unless asked to truncate, and then regenerates the same data', async () => {
    await expect(generateDataset({ databaseUrl: urlB, customers: 10, seed: 1, asOf: AS_OF })).rejects.toMatchObject({ reason: 'TABLES_NOT_EMPTY', message: expect.stringContaining('--truncate') });
    const before = await checksums(urlB);
    await generateDataset({ databaseUrl: urlB, customers: CUSTOMERS, seed: 42, asOf: AS_OF, truncate: true, batchSize: 7_000 });
    expect(await checksums(urlB)).toEqual(before);
    await generateDataset({ databaseUrl: urlB, customers: CUSTOMERS, seed: 43, asOf: AS_OF, truncate: true });
    expect((await checksums(urlB)).customers).not.toEqual(before.customers);
  });

  it('reports an unreachable database clearly', async () => {
    const error = await generateDataset({ databaseUrl: 'postgres://postgres:secret@127.0.0.1:1/none', customers: 1, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataGeneratorError);
    expect(error).toMatchObject({ reason: 'DATABASE_UNAVAILABLE' });
    expect((error as Error).message).not.toContain('secret');
  });

  it('fails cleanly, without hanging, when PostgreSQL rejects a batch mid-stream', async () => {
    const url = await createDatabase(pg.url, 'bnpl_reject');
    await generateDataset({ databaseUrl: url, customers: 0, seed: 1, migrate: true });
    // A constraint the generated data breaks, late enough that other lanes are mid-COPY.
    await query(url, `ALTER TABLE payments ADD CONSTRAINT probe_reject CHECK (customer_id < 1500)`);
    const error = await generateDataset({ databaseUrl: url, customers: CUSTOMERS, seed: 42, truncate: true, batchSize: 500 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'WRITE_FAILED', message: expect.stringMatching(/COPY into payments failed: .*probe_reject.*--truncate/) });
    // Committed batches stay; the rejected one was rolled back.
    const [row] = await query<{ max: string | null }>(url, `SELECT max(customer_id) AS max FROM payments`);
    expect(Number(row.max)).toBeLessThan(1500);
  });

  it('stops when aborted', async () => {
    const url = await createDatabase(pg.url, 'bnpl_abort');
    const controller = new AbortController();
    const run = generateDataset({ databaseUrl: url, customers: 50_000, seed: 1, migrate: true, batchSize: 1_000, signal: controller.signal }, (p) => {
      if (p.customersGenerated >= 3_000) controller.abort(new Error('enough'));
    });
    await expect(run).rejects.toMatchObject({ reason: 'ABORTED' });
    const [row] = await query<{ n: string }>(url, `SELECT count(*) AS n FROM customers`);
    expect(Number(row.n)).toBeLessThan(50_000);
  });

  describe('CLI', () => {
    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, ['-r', './tools/register.cjs', 'tools/data-generator/src/main.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );

    it('exits 2 with the usage text on bad arguments', async () => {
      const result = await cli(['--database-url', urlA, '--customers', 'lots']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--customers must be a non-negative integer, got "lots"');
      expect(result.stderr).toContain('Usage:');
    });

    it('prints the usage on --help', async () => {
      const result = await cli(['--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('--as-of <date>');
    });

    it('generates into a fresh database with --migrate and prints what it wrote', async () => {
      const url = await createDatabase(pg.url, 'bnpl_cli');
      const result = await cli(['--database-url', url, '--customers', '300', '--seed', '5', '--as-of', '2024-06-01', '--migrate']);
      expect(result.stderr).not.toContain('error');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/customers\s+300\n/);
      expect(result.stdout).toContain('as of 2024-06-01');
      // Not a TTY: plain progress lines rather than a redrawn bar.
      expect(result.stderr).toMatch(/\] done: 300\/300 customers/);
      const again = await cli(['--database-url', url, '--customers', '300']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('not empty');
      const skipped = await cli(['--database-url', url, '--customers', '300', '--if-empty']);
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toContain('nothing generated (--if-empty)');
    });
  });
});

/**
 * Another empty database beside the suite's own on the test run's shared server, named after the suite's (unique
 * in the cluster); it goes with the server at the end of the run.
 */
async function createDatabase(url: string, name: string): Promise<string> {
  const u = new URL(url);
  const database = `${u.pathname.slice(1)}_${name}`;
  await query(url, `CREATE DATABASE ${database}`);
  u.pathname = `/${database}`;
  return u.toString();
}

async function query<T extends object>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** md5 of each table's full text, in id order: equal checksums mean byte-identical tables. */
async function checksums(url: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await query<{ md5: string }>(url, `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) AS md5 FROM ${table} t`);
    out[table] = row.md5;
  }
  return out;
}

async function counts(url: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await query<{ n: string }>(url, `SELECT count(*) AS n FROM ${table}`))[0].n);
  return out;
}
