import { runSql } from './test-postgres';

/**
 * Fills the source tables with `customers` customers (ids 1..n) and three merchants, with 1 to 3 orders
 * per customer and three instalments per order (paid, late or still scheduled): enough variety for every
 * customer view to have non-default values, in one round of set-based SQL. Deterministic.
 */
export async function seedSyntheticSource(url: string, customers: number): Promise<void> {
  await runSql(
    url,
    `INSERT INTO merchants (id, name, category, country, created_at)
     SELECT m, 'Shop ' || m, (ARRAY['fashion','electronics','travel'])[m], 'DE', now() - interval '2 years' FROM generate_series(1, 3) m`,
    `INSERT INTO customers (id, email, full_name, country, currency, kyc_level, credit_limit_minor, created_at, updated_at)
     SELECT c, 'c' || c || '@example.com', 'C' || c, 'DE', 'EUR', c % 4, 50000 + c * 1000, now() - (c % 500 || ' days')::interval - interval '30 days', now() - interval '1 day'
     FROM generate_series(1, ${customers}) c`,
    `INSERT INTO orders (id, customer_id, merchant_id, amount_minor, currency, installment_count, status, created_at, updated_at)
     SELECT c * 10 + o, c, 1 + (c + o) % 3, 3000 * (o + 1) + c * 7, 'EUR', 3, CASE WHEN o = 0 THEN 'active' ELSE 'completed' END,
            now() - ((o * 40 + c % 20) || ' days')::interval, now() - interval '1 day'
     FROM generate_series(1, ${customers}) c, generate_series(0, 2) o WHERE o <= c % 3`,
    `INSERT INTO installments (id, order_id, customer_id, seq, amount_minor, currency, due_date, status, paid_at, days_past_due, updated_at)
     SELECT o.id * 10 + s, o.id, o.customer_id, s, o.amount_minor / 3, 'EUR', (o.created_at + (s * 30 || ' days')::interval)::date,
            CASE WHEN o.created_at + (s * 30 || ' days')::interval > now() THEN 'scheduled' ELSE 'paid' END,
            CASE WHEN o.created_at + (s * 30 || ' days')::interval > now() THEN NULL ELSE o.created_at + (s * 30 + o.customer_id % 9 || ' days')::interval END,
            CASE WHEN o.created_at + (s * 30 || ' days')::interval > now() THEN 0 ELSE o.customer_id % 9 END, now() - interval '1 day'
     FROM orders o, generate_series(1, 3) s`,
  );
}
