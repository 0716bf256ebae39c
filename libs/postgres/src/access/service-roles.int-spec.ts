import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type ChangeFeedHandler, type SourceTransaction } from '@bnpl/cdc';
import { bnplCatalog, sourceColumnsRead } from '@bnpl/feature-definitions';
import { makeTempDir, startEmbeddedPostgres, type RunningPostgres } from '@bnpl/service-launchers';
import { migrateDatabase } from '../lib/data-source.factory';
import { PostgresSourceFeatureReader, pgQuery } from '../feature-sql';
import { SourceDatabase } from '../lib/source-database';
import { PgLogicalChangeFeed } from '../replication/pg-logical-change-feed';
import { PostgresApiKeyStore } from './postgres-api-key-store';
import { SERVICE_DATABASE_ROLES, databaseUrlAs, enableServiceRoleLogin, type ServiceWithDatabaseRole } from './service-roles';

type Outcome = 'ok' | 'denied';

interface RoleAttributes {
  rolname: string;
  rolcanlogin: boolean;
  rolsuper: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolbypassrls: boolean;
  rolreplication: boolean;
}

const SERVICES = Object.keys(SERVICE_DATABASE_ROLES) as ServiceWithDatabaseRole[];
const JOB = '00000000-0000-4000-8000-000000000001';
const KEY = 'aaaaaaaaaaaa';

/** Statements over every table that some service may use, to try as each role. */
const TRIES = {
  readFeatureColumns: 'SELECT id, country, currency, kyc_level, credit_limit_minor, status, created_at FROM customers',
  readEmail: 'SELECT email FROM customers',
  readName: 'SELECT full_name FROM customers',
  readDateOfBirth: 'SELECT date_of_birth FROM customers',
  readWholeCustomer: 'SELECT * FROM customers',
  insertSource: `INSERT INTO merchants (name, category, country) VALUES ('x', 'y', 'DE')`,
  updateSource: 'UPDATE customers SET kyc_level = 3',
  deleteSource: 'DELETE FROM payments',
  truncateSource: 'TRUNCATE installments CASCADE',
  createTable: 'CREATE TABLE intruder (id int)',
  readMigrations: 'SELECT * FROM schema_migrations',
  readKeys: 'SELECT id, secret_hash FROM api_keys',
  insertKey: `INSERT INTO api_keys (id, secret_hash, owner, scopes) VALUES ('bbbbbbbbbbbb', '\\x${'00'.repeat(32)}', 'x', '{admin}')`,
  touchKey: `UPDATE api_keys SET last_used_at = now() WHERE id = '${KEY}'`,
  revokeKey: `UPDATE api_keys SET revoked_at = now() WHERE id = '${KEY}'`,
  escalateKey: `UPDATE api_keys SET scopes = '{admin}' WHERE id = '${KEY}'`,
  deleteKey: `DELETE FROM api_keys WHERE id = '${KEY}'`,
  readJobs: 'SELECT id, state FROM feature_jobs',
  insertJob: `INSERT INTO feature_jobs (id, spec, state) VALUES (gen_random_uuid(), '{}', 'pending')`,
  updateJob: `UPDATE feature_jobs SET state = 'cancelled' WHERE id = '${JOB}'`,
  deleteJob: `DELETE FROM feature_jobs WHERE id = '${JOB}'`,
  insertShard: `INSERT INTO feature_job_shards (job_id, no, entity, views, from_id, to_id, as_of, write_online, state) VALUES ('${JOB}', 1, 'customer', '{v}', 1, 2, now(), true, 'pending')`,
  moveWatermark: `INSERT INTO materialization_watermarks (view, watermark) VALUES ('v', now()) ON CONFLICT (view) DO UPDATE SET watermark = EXCLUDED.watermark`,
  readWatermarks: 'SELECT * FROM materialization_watermarks',
  readSchedules: 'SELECT * FROM feature_job_schedules',
  writeSchedule: `INSERT INTO feature_job_schedules (name, definition, since) VALUES ('s', '{}', now()) ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition`,
  deleteSchedule: `DELETE FROM feature_job_schedules WHERE name = 'nope'`,
  readChanges: 'SELECT * FROM feature_changes',
  recordChange: `INSERT INTO feature_changes (entity, entity_id, view, changed_at) VALUES ('customer', 1, 'v', now()) ON CONFLICT (entity, entity_id, view) DO UPDATE SET changed_at = EXCLUDED.changed_at`,
  openChangeLog: `INSERT INTO feature_change_log (id, since) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET through = now()`,
  readGeneration: 'SELECT * FROM online_store_generation',
  bumpGeneration: `INSERT INTO online_store_generation (id, generation, started_at) VALUES (1, 1, now()) ON CONFLICT (id) DO UPDATE SET generation = online_store_generation.generation + 1`,
  createSlot: `SELECT pg_drop_replication_slot(slot_name) FROM pg_create_logical_replication_slot('roles_test_' || pg_backend_pid(), 'pgoutput')`,
} as const;
type Try = keyof typeof TRIES;

/** What each role may do among TRIES; everything else must be refused. */
const ALLOWED: Readonly<Record<ServiceWithDatabaseRole, readonly Try[]>> = {
  'grpc-serving': ['readFeatureColumns', 'readKeys', 'touchKey'],
  'rest-gateway': ['readFeatureColumns', 'readKeys', 'insertKey', 'touchKey', 'revokeKey', 'readJobs', 'insertJob', 'updateJob', 'insertShard', 'readWatermarks', 'readSchedules', 'readChanges'],
  'batch-processor': [
    'readFeatureColumns',
    'readJobs',
    'insertJob',
    'updateJob',
    'insertShard',
    'moveWatermark',
    'readWatermarks',
    'readSchedules',
    'writeSchedule',
    'deleteSchedule',
    'readChanges',
    'readGeneration',
    'bumpGeneration',
  ],
  'cdc-ingestor': ['readFeatureColumns', 'readChanges', 'recordChange', 'openChangeLog', 'createSlot'],
};

describe('service database roles (migration ServiceRoles1765300000000; real PostgreSQL)', () => {
  const dir = makeTempDir('bnpl-roles-');
  let pg: RunningPostgres;
  const passwords = new Map<string, string>();
  let rolesAsMigrated: RoleAttributes[] = [];
  const urlOf = (service: ServiceWithDatabaseRole) => databaseUrlAs(pg.url, SERVICE_DATABASE_ROLES[service], passwords.get(service) ?? '');

  /** Runs `sql` as the service's role in a transaction rolled back after, so that tries do not interfere. */
  async function attempt(service: ServiceWithDatabaseRole, sql: string): Promise<Outcome> {
    const client = new Client({ connectionString: urlOf(service) });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(sql);
      return 'ok';
    } catch (error) {
      if ((error as { code?: string }).code === '42501') return 'denied';
      throw error;
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  }

  async function admin<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    // A server of its own: roles, their LOGIN and REPLICATION belong to the whole server.
    pg = await startEmbeddedPostgres({ dataDir: `${dir.path}/pg`, durable: false });
    await migrateDatabase({ type: 'postgres', url: pg.url });
    await admin(`INSERT INTO merchants (id, name, category, country) VALUES (10, 'Shop', 'fashion', 'DE')`);
    await admin(
      `INSERT INTO customers (id, email, full_name, date_of_birth, country, currency, kyc_level, credit_limit_minor, created_at) VALUES (1, 'a@example.com', 'Ada', '1990-01-01', 'DE', 'EUR', 2, 100000, now() - interval '400 days')`,
    );
    await admin(`INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at) VALUES (100, 1, 10, 30000, 'EUR', 3, 'active', now() - interval '20 days')`);
    await admin(`INSERT INTO installments (id, order_id, customer_id, seq, amount_minor, currency, due_date, status) VALUES (1000, 100, 1, 1, 10000, 'EUR', current_date + 10, 'scheduled')`);
    await admin(`INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status) VALUES (1000, 1, 10000, 'EUR', 'failed')`);
    await admin(`INSERT INTO api_keys (id, secret_hash, owner, scopes) VALUES ('${KEY}', $1, 'risk-engine', '{features:read}')`, [randomBytes(32)]);
    await admin(`INSERT INTO feature_jobs (id, spec, state) VALUES ('${JOB}', '{}', 'running')`);
    rolesAsMigrated = await admin<RoleAttributes>(
      `SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles WHERE rolname LIKE 'bnpl\\_%' ORDER BY rolname`,
    );
    for (const service of SERVICES) {
      const password = randomBytes(18).toString('base64url');
      passwords.set(service, password);
      await enableServiceRoleLogin(pg.url, SERVICE_DATABASE_ROLES[service], password);
    }
  });

  afterAll(async () => {
    await pg?.stop();
    dir.remove();
  });

  it('creates one role per service and a source-reading group, none able to log in until the deployer says so', async () => {
    const roles = rolesAsMigrated;
    expect(roles.map((r) => r.rolname)).toEqual(['bnpl_batch_processor', 'bnpl_cdc_ingestor', 'bnpl_grpc_serving', 'bnpl_rest_gateway', 'bnpl_source_reader']);
    for (const role of roles) {
      expect(role).toEqual({ rolname: role.rolname, rolcanlogin: false, rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolreplication: role.rolname === 'bnpl_cdc_ingestor' });
    }
    // The local stack's and the tests' way in (beforeAll): LOGIN and a password, set without the password in any statement's text.
    const [{ n }] = await admin<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 'bnpl\\_%' AND rolcanlogin`);
    expect(n).toBe(SERVICES.length);
    await expect(enableServiceRoleLogin(pg.url, 'postgres', 'x')).rejects.toThrow(/not a service database role/);
  });

  it('migrating again changes nothing (the roles exist: another database of the server, or the deployer, made them)', async () => {
    await admin(`DELETE FROM schema_migrations WHERE name = 'ServiceRoles1765300000000'`);
    expect(await migrateDatabase({ type: 'postgres', url: pg.url })).toEqual(['ServiceRoles1765300000000']);
    // LOGIN given by the deployer stays.
    const [{ n }] = await admin<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 'bnpl\\_%' AND rolcanlogin`);
    expect(n).toBe(SERVICES.length);
  });

  describe.each(SERVICES)('%s', (service) => {
    it.each(Object.keys(TRIES) as Try[])('%s', async (what) => {
      const expected: Outcome = ALLOWED[service].includes(what) ? 'ok' : 'denied';
      expect({ service, what, outcome: await attempt(service, TRIES[what]) }).toEqual({ service, what, outcome: expected });
    });

    it('reads every feature view of the catalog through the real feature SQL, now and at an instant (no PII column needed)', async () => {
      const client = new Client({ connectionString: urlOf(service) });
      await client.connect();
      try {
        const reader = new PostgresSourceFeatureReader(bnplCatalog, pgQuery(client));
        for (const view of bnplCatalog.views) {
          const id = view.entity.name === 'merchant' ? '10' : '1';
          const [row] = await reader.readView(view.name, [id], new Date());
          expect({ view: view.name, found: row !== null }).toEqual({ view: view.name, found: true });
          await reader.readViewAt(view.name, [id], new Date());
        }
      } finally {
        await client.end();
      }
    });
  });

  it('grpc-serving connects through SourceDatabase, verifies a key and records its use, and may neither revoke nor issue keys', async () => {
    const db = new SourceDatabase({ type: 'postgres', url: urlOf('grpc-serving'), poolSize: 1 });
    await db.start();
    try {
      expect(db.isConnected).toBe(true);
      const store = new PostgresApiKeyStore(db);
      expect((await store.find(KEY))?.owner).toBe('risk-engine');
      await store.touch([KEY], new Date());
      expect((await store.find(KEY))?.lastUsedAt).toBeInstanceOf(Date);
      await expect(store.revoke(KEY, new Date())).rejects.toMatchObject({ code: '42501' });
    } finally {
      await db.close();
    }
  });

  it('rest-gateway issues and revokes keys through the key store', async () => {
    const db = new SourceDatabase({ type: 'postgres', url: urlOf('rest-gateway'), poolSize: 1 });
    await db.start();
    try {
      const store = new PostgresApiKeyStore(db);
      const id = 'cccccccccccc';
      expect(await store.insert({ id, secretHash: randomBytes(32), owner: 'cli', description: '', scopes: ['jobs:write'], rateLimitPerSecond: null, createdAt: new Date(), expiresAt: null })).toBe(true);
      expect((await store.revoke(id, new Date()))?.revokedAt).toBeInstanceOf(Date);
    } finally {
      await db.close();
    }
  });

  it('cdc-ingestor streams the source through PgLogicalChangeFeed once the owner has run the publication statement it names, with no PII in what it receives', async () => {
    const url = urlOf('cdc-ingestor');
    const db = new SourceDatabase({ type: 'postgres', url, poolSize: 2 });
    await db.start();
    const transactions: SourceTransaction[] = [];
    const handler: ChangeFeedHandler = { onTransaction: (t) => void transactions.push(t), onReconnect: () => undefined, onError: () => undefined, isStalled: () => false };
    const feed = () => new PgLogicalChangeFeed(db, { url, slotName: 'roles_ingestor', publicationName: 'roles_pub', tables: Object.fromEntries(sourceColumnsRead(bnplCatalog)), reconnectInitialMs: 50 });
    try {
      // Not the tables' owner: it may not create its publication, and says what the owner must run.
      const refused = (await feed()
        .start(handler)
        .then(() => new Error('started'))
        .catch((error: Error) => error)) as Error;
      const statement = /run as the tables' owner: (CREATE PUBLICATION .+)$/.exec(refused.message)?.[1];
      expect(statement).toMatch(/^CREATE PUBLICATION "roles_pub" FOR TABLE /);
      await admin(statement ?? '');
      const streaming = feed();
      expect(await streaming.start(handler)).toEqual({ slotCreated: true });
      try {
        await admin(`UPDATE customers SET kyc_level = 3, email = 'new@example.com' WHERE id = 1`);
        const deadline = Date.now() + 10_000;
        while (transactions.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(transactions.length).toBeGreaterThan(0);
        const received = JSON.stringify(transactions, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
        expect(received).toContain('"kyc_level"');
        for (const pii of ['new@example.com', 'a@example.com', 'Ada', '1990-01-01']) expect(received).not.toContain(pii);
      } finally {
        await streaming.stop();
      }
    } finally {
      await db.close();
    }
  });

  it('only the ingestor may replicate: it has REPLICATION, and the only slot is the one it made', async () => {
    const [{ replicates }] = await admin<{ replicates: boolean }>(`SELECT rolreplication AS replicates FROM pg_roles WHERE rolname = 'bnpl_cdc_ingestor'`);
    expect(replicates).toBe(true);
    expect(await admin(`SELECT slot_name FROM pg_replication_slots`)).toEqual([{ slot_name: 'roles_ingestor' }]);
  });
});
