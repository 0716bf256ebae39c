import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The columns of the source tables that features read (the catalog's sources, @bnpl/feature-definitions):
 * every column but the customers' PII (email, full_name, date_of_birth). Written out here rather than
 * taken from the catalog, since a migration is history and must not change when the catalog does: a
 * later migration grants a column a new feature needs.
 */
const SOURCE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  customers: ['id', 'country', 'currency', 'kyc_level', 'credit_limit_minor', 'status', 'created_at', 'updated_at'],
  merchants: ['id', 'name', 'category', 'country', 'created_at'],
  orders: ['id', 'customer_id', 'merchant_id', 'amount_minor', 'currency', 'installment_count', 'status', 'created_at', 'updated_at'],
  installments: ['id', 'order_id', 'customer_id', 'seq', 'amount_minor', 'currency', 'due_date', 'status', 'paid_at', 'days_past_due', 'updated_at'],
  payments: ['id', 'installment_id', 'customer_id', 'amount_minor', 'currency', 'status', 'failure_reason', 'attempted_at'],
};

/** Reads the source's feature columns; granted to every service role, never used to log in. */
const SOURCE_READER = 'bnpl_source_reader';

type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

interface ServiceRole {
  readonly role: string;
  /** Table privileges, beyond reading the source (SOURCE_READER). `UPDATE (col)` grants one column. */
  readonly tables: Readonly<Record<string, ReadonlyArray<Privilege | `UPDATE (${string})`>>>;
  /** Logical replication (the pgoutput slot). */
  readonly replication?: boolean;
}

/**
 * One role per service (the names of deploy/terraform's Cloud SQL users), each with the tables its code
 * touches (libs/postgres's repositories as each app wires them) and nothing else:
 * - grpc-serving reads features and verifies API keys (and records when a key was last used);
 * - rest-gateway reads features, manages keys (the keys API), submits and cancels jobs (it records a job
 *   and plans its shards: the entity ids, the change log and the watermarks) and lists the schedules;
 * - batch-processor runs jobs and schedules, moves watermarks and the online store's generation;
 * - cdc-ingestor streams changes (REPLICATION) and keeps the change log.
 */
const SERVICE_ROLES: readonly ServiceRole[] = [
  {
    role: 'bnpl_grpc_serving',
    tables: { api_keys: ['SELECT', 'UPDATE (last_used_at)'] },
  },
  {
    role: 'bnpl_rest_gateway',
    tables: {
      api_keys: ['SELECT', 'INSERT', 'UPDATE (revoked_at, replaced_by, last_used_at)'],
      feature_jobs: ['SELECT', 'INSERT', 'UPDATE'],
      feature_job_shards: ['SELECT', 'INSERT', 'UPDATE'],
      materialization_watermarks: ['SELECT'],
      feature_changes: ['SELECT'],
      feature_change_log: ['SELECT'],
      feature_job_schedules: ['SELECT'],
    },
  },
  {
    role: 'bnpl_batch_processor',
    tables: {
      feature_jobs: ['SELECT', 'INSERT', 'UPDATE'],
      feature_job_shards: ['SELECT', 'INSERT', 'UPDATE'],
      materialization_watermarks: ['SELECT', 'INSERT', 'UPDATE'],
      feature_job_schedules: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
      feature_changes: ['SELECT'],
      feature_change_log: ['SELECT'],
      online_store_generation: ['SELECT', 'INSERT', 'UPDATE'],
    },
  },
  {
    role: 'bnpl_cdc_ingestor',
    tables: { feature_changes: ['SELECT', 'INSERT', 'UPDATE'], feature_change_log: ['SELECT', 'INSERT', 'UPDATE'] },
    replication: true,
  },
];

/** A role name as an SQL literal and identifier: ours only, so plain names with no quoting needed. */
const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Least privilege in the database: a role per service (see SERVICE_ROLES), each able to do its job and no
 * more. Every role reads the source's feature columns only, through `bnpl_source_reader`: no service can
 * read a customer's e-mail, name or date of birth, and none may change the source or create objects.
 *
 * - Roles are created NOLOGIN when missing: the deployer gives each LOGIN and a password (Terraform's
 *   Cloud SQL users exist already, LOGIN with a generated password, and are left as they are but for the
 *   grants). Roles belong to the whole server, so creating one tolerates another database's migration
 *   creating it at the same instant.
 * - REPLICATION for the ingestor needs a superuser, or (PostgreSQL 16, Cloud SQL) a role holding it: when
 *   the migrating role cannot grant it, a warning says so and the ingestor names the fix when it starts.
 * - The publication is not created here (its column list is the catalog's): the ingestor creates it when
 *   it may, otherwise the tables' owner runs the statement the ingestor prints.
 * - A migration that adds a table grants it to the roles that use it, in the same style.
 * - `down` revokes the grants in this database and leaves the roles, which other databases may use.
 *
 * PostgreSQL only: CockroachDB has neither REPLICATION nor column privileges (its users are managed
 * outside these migrations).
 */
export class ServiceRoles1765300000000 implements MigrationInterface {
  name = 'ServiceRoles1765300000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    // Before PostgreSQL 15 everyone may create tables in `public`; no service should.
    await q.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await createRole(q, SOURCE_READER);
    for (const [table, columns] of Object.entries(SOURCE_COLUMNS)) {
      await q.query(`GRANT SELECT (${columns.join(', ')}) ON ${table} TO ${SOURCE_READER}`);
    }
    for (const { role, tables, replication } of SERVICE_ROLES) {
      await createRole(q, role);
      await grantMembership(q, SOURCE_READER, role);
      for (const [table, privileges] of Object.entries(tables)) await q.query(`GRANT ${privileges.join(', ')} ON ${table} TO ${role}`);
      if (replication) await grantReplication(q, role);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    for (const { role, tables } of SERVICE_ROLES) {
      for (const table of Object.keys(tables)) await q.query(`REVOKE ALL ON ${table} FROM ${role}`);
    }
    for (const table of Object.keys(SOURCE_COLUMNS)) await q.query(`REVOKE ALL ON ${table} FROM ${SOURCE_READER}`);
  }
}

async function createRole(q: QueryRunner, role: string): Promise<void> {
  if (!NAME.test(role)) throw new RangeError(`invalid role name ${role}`);
  // unique_violation: another database's migration created it between our look and our CREATE.
  await q.query(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
        CREATE ROLE ${role} NOLOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
}

async function grantMembership(q: QueryRunner, group: string, role: string): Promise<void> {
  await q.query(`
    DO $$ BEGIN
      IF NOT pg_has_role('${role}', '${group}', 'MEMBER') THEN
        GRANT ${group} TO ${role};
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
}

async function grantReplication(q: QueryRunner, role: string): Promise<void> {
  await q.query(`
    DO $$ BEGIN
      IF NOT (SELECT rolreplication FROM pg_roles WHERE rolname = '${role}') THEN
        ALTER ROLE ${role} REPLICATION;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE WARNING '${role} needs REPLICATION, which this role may not grant: run ALTER ROLE ${role} WITH REPLICATION as a superuser (on Cloud SQL, as postgres)';
    END $$`);
}
