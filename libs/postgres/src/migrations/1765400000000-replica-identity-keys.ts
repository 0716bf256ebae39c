import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per source table, the unique index whose columns logical replication sends as a changed row's old key. */
const KEY_INDEXES: ReadonlyArray<{ table: string; index?: { name: string; columns: readonly string[] } }> = [
  // Customers and merchants are their own entities: the primary key names them.
  { table: 'customers' },
  { table: 'merchants' },
  // The rest name their entities through other columns: an old row must carry them too, so that an order
  // that moves to another customer, or a deleted payment, still reaches the entity it left.
  { table: 'orders', index: { name: 'orders_replica_identity_idx', columns: ['id', 'customer_id', 'merchant_id'] } },
  { table: 'installments', index: { name: 'installments_replica_identity_idx', columns: ['id', 'customer_id'] } },
  { table: 'payments', index: { name: 'payments_replica_identity_idx', columns: ['id', 'customer_id'] } },
];

/**
 * Old rows carry the keys only (was every column, REPLICA IDENTITY FULL). The change stream's publication
 * lists only the columns features read (PgLogicalChangeFeed), so that PII (customers' e-mail, name and date
 * of birth) never leaves PostgreSQL; PostgreSQL refuses UPDATE and DELETE on a table whose publication's
 * column list does not cover its replica identity, and FULL means every column. The identity is therefore
 * the primary key, or a unique index over the primary key and the columns naming the row's entities.
 * (Recomputation reads the source, so the stream never needed old values, only whom a change concerns.)
 */
export class ReplicaIdentityKeys1765400000000 implements MigrationInterface {
  name = 'ReplicaIdentityKeys1765400000000';

  async up(q: QueryRunner): Promise<void> {
    // CockroachDB has changefeeds instead of logical replication and no REPLICA IDENTITY.
    if (q.connection.options.type !== 'postgres') return;
    for (const { table, index } of KEY_INDEXES) {
      if (!index) {
        await q.query(`ALTER TABLE ${table} REPLICA IDENTITY DEFAULT`);
        continue;
      }
      await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS ${index.name} ON ${table} (${index.columns.join(', ')})`);
      await q.query(`ALTER TABLE ${table} REPLICA IDENTITY USING INDEX ${index.name}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    for (const { table, index } of KEY_INDEXES) {
      await q.query(`ALTER TABLE ${table} REPLICA IDENTITY FULL`);
      if (index) await q.query(`DROP INDEX IF EXISTS ${index.name}`);
    }
  }
}
