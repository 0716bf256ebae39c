import { Client } from 'pg';
import { seededRandom } from './seeded-random';

/** What one random change did, and to whom. */
export interface WrittenChange {
  readonly kind: ChangeKind;
  readonly customerId: number;
}

export type ChangeKind = 'new_order' | 'pay_installment' | 'fail_payment' | 'mark_overdue' | 'change_limit' | 'cancel_order' | 'reassign_order' | 'delete_payment';

const KINDS: ReadonlyArray<readonly [ChangeKind, number]> = [
  ['new_order', 20],
  ['pay_installment', 20],
  ['fail_payment', 10],
  ['mark_overdue', 15],
  ['change_limit', 15],
  ['cancel_order', 8],
  ['reassign_order', 4],
  ['delete_payment', 8],
];
const TOTAL_WEIGHT = KINDS.reduce((sum, [, w]) => sum + w, 0);

/**
 * Writes random but valid BNPL source changes, one transaction each, over customers 1..`customers` of a
 * database seeded by `seedSyntheticSource`: new orders with their instalments, payments that succeed or
 * fail, instalments going overdue, limit changes, cancellations, an order moving to another customer,
 * deleted payments. Every kind changes some feature of some view, so a streaming path that drops or
 * misroutes any of them shows up in a parity check. Ids of new rows start high, clear of the seed's.
 */
export class SourceChangeWriter {
  private readonly random: () => number;
  private nextOrderId: number;
  readonly counts: Record<ChangeKind, number> = Object.fromEntries(KINDS.map(([k]) => [k, 0])) as Record<ChangeKind, number>;

  private constructor(
    private readonly client: Client,
    private readonly customers: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.nextOrderId = 50_000_000 + Math.floor(this.random() * 1_000_000) * 10;
  }

  static async open(url: string, options: { customers: number; seed?: number }): Promise<SourceChangeWriter> {
    const client = new Client({ connectionString: url });
    // A server restart ends the connection with an error event: the next step() then fails and the caller reopens.
    client.on('error', () => undefined);
    await client.connect();
    return new SourceChangeWriter(client, options.customers, options.seed ?? Date.now());
  }

  /** Commits one random change. */
  async step(): Promise<WrittenChange> {
    let pick = this.random() * TOTAL_WEIGHT;
    const kind = (KINDS.find(([, w]) => (pick -= w) < 0) ?? KINDS[0])[0];
    const customerId = 1 + Math.floor(this.random() * this.customers);
    await this.client.query('BEGIN');
    try {
      await this.write(kind, customerId);
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    this.counts[kind]++;
    return { kind, customerId };
  }

  /** A limit change for one customer: the cheapest change whose effect (credit_limit) is easy to read back. */
  async setCreditLimit(customerId: number, limitMinor: number): Promise<void> {
    await this.client.query(`UPDATE customers SET credit_limit_minor = $2, updated_at = now() WHERE id = $1`, [customerId, limitMinor]);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  private async write(kind: ChangeKind, c: number): Promise<void> {
    const q = (sql: string, params: unknown[] = []) => this.client.query(sql, params);
    const int = (lo: number, hi: number) => lo + Math.floor(this.random() * (hi - lo + 1));
    switch (kind) {
      case 'new_order': {
        const id = (this.nextOrderId += 10);
        const amount = int(1_000, 90_000);
        const ageDays = int(0, 400);
        await q(
          `INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at, updated_at)
           SELECT $1, $2, $3, $4, currency, 3, 'active', now() - make_interval(days => $5), now() FROM customers WHERE id = $2`,
          [id, c, int(1, 3), amount, ageDays],
        );
        await q(
          `INSERT INTO installments (id, order_id, customer_id, seq, amount_minor, currency, due_date, status, paid_at, days_past_due, updated_at)
           SELECT o.id * 10 + s, o.id, o.customer_id, s, o.amount_minor / 3, o.currency, (o.created_at + make_interval(days => s * 30))::date,
                  CASE WHEN o.created_at + make_interval(days => s * 30) > now() THEN 'scheduled' ELSE 'overdue' END, NULL,
                  CASE WHEN o.created_at + make_interval(days => s * 30) > now() THEN 0 ELSE $2 END, now()
           FROM orders o, generate_series(1, 3) s WHERE o.id = $1`,
          [id, int(1, 40)],
        );
        return;
      }
      case 'pay_installment': {
        const rows = await q(`SELECT id, amount_minor, currency FROM installments WHERE customer_id = $1 AND status IN ('scheduled', 'overdue') ORDER BY due_date LIMIT 1`, [c]);
        if (rows.rowCount === 0) return;
        const { id, amount_minor, currency } = rows.rows[0];
        await q(`UPDATE installments SET status = 'paid', paid_at = now(), updated_at = now() WHERE id = $1`, [id]);
        await q(`INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status, attempted_at) VALUES ($1, $2, $3, $4, 'succeeded', now())`, [id, c, amount_minor, currency]);
        return;
      }
      case 'fail_payment': {
        const rows = await q(`SELECT id, amount_minor, currency FROM installments WHERE customer_id = $1 ORDER BY id DESC LIMIT 1`, [c]);
        if (rows.rowCount === 0) return;
        const { id, amount_minor, currency } = rows.rows[0];
        await q(
          `INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status, failure_reason, attempted_at) VALUES ($1, $2, $3, $4, 'failed', 'insufficient_funds', now() - make_interval(days => $5))`,
          [id, c, amount_minor, currency, int(0, 10)],
        );
        return;
      }
      case 'mark_overdue':
        await q(
          `UPDATE installments SET status = 'overdue', days_past_due = days_past_due + $2, updated_at = now()
           WHERE id = (SELECT id FROM installments WHERE customer_id = $1 AND status IN ('scheduled', 'overdue') ORDER BY due_date LIMIT 1)`,
          [c, int(1, 30)],
        );
        return;
      case 'change_limit':
        await q(`UPDATE customers SET credit_limit_minor = $2, kyc_level = $3, updated_at = now() WHERE id = $1`, [c, int(0, 500) * 1_000, int(0, 3)]);
        return;
      case 'cancel_order': {
        const rows = await q(`SELECT id FROM orders WHERE customer_id = $1 AND status = 'active' ORDER BY id DESC LIMIT 1`, [c]);
        if (rows.rowCount === 0) return;
        await q(`UPDATE orders SET status = 'cancelled', updated_at = now() WHERE id = $1`, [rows.rows[0].id]);
        await q(`UPDATE installments SET status = 'cancelled', updated_at = now() WHERE order_id = $1 AND status <> 'paid'`, [rows.rows[0].id]);
        return;
      }
      case 'reassign_order': {
        // An order (not its instalments) moves to another customer: the old row routes to the old customer.
        const other = 1 + Math.floor(this.random() * this.customers);
        await q(`UPDATE orders SET customer_id = $2, updated_at = now() WHERE id = (SELECT id FROM orders WHERE customer_id = $1 ORDER BY id DESC LIMIT 1)`, [c, other]);
        return;
      }
      case 'delete_payment':
        await q(`DELETE FROM payments WHERE id = (SELECT id FROM payments WHERE customer_id = $1 ORDER BY id LIMIT 1)`, [c]);
        return;
    }
  }
}
