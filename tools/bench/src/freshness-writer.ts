import { Client } from 'pg';

// The freshness benchmark's writer process: source changes at a fixed rate, open loop (a change is due at
// its scheduled time whether or not the previous ones finished), over several connections. Each change is
// its own transaction. `single` (the default): one row per transaction, so one committed change = one row
// change for the ingestor. `multi`: purchases, each a new order with its four instalments (five rows in two
// tables, one transaction), as a checkout writes them.
//
// argv: DATABASE_URL CUSTOMERS RATE_PER_SECOND SECONDS CONNECTIONS [single|multi]
// Prints one JSON line when done: { offered, committed, errors, late, seconds }.

const [url, customersArg, rateArg, secondsArg, connectionsArg, modeArg] = process.argv.slice(2);
const customers = Number(customersArg);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const connections = Number(connectionsArg ?? 8);
if (modeArg !== undefined && modeArg !== 'single' && modeArg !== 'multi') throw new Error(`mode must be single or multi, got ${modeArg}`);

// Cheap changes that each move some feature: an instalment getting later (repayment, exposure), a failed
// payment attempt (repayment), a KYC level change (profile). Instalment ids of the synthetic seed: every
// customer c has order c*10 with instalments c*100 + 1..3.
const CHANGES: ReadonlyArray<(c: number, r: number) => [string, unknown[]]> = [
  (c, r) => [`UPDATE installments SET days_past_due = days_past_due + 1, updated_at = now() WHERE id = $1`, [c * 100 + 1 + (r % 3)]],
  (c) => [
    `INSERT INTO payments (installment_id, customer_id, amount_minor, currency, status, failure_reason, attempted_at) VALUES ($1, $2, 100, 'EUR', 'failed', 'insufficient_funds', now())`,
    [c * 100 + 1, c],
  ],
  (c, r) => [`UPDATE customers SET kyc_level = $2, updated_at = now() WHERE id = $1`, [c, r % 4]],
];

/** A purchase: an order of customer $1 at merchant $2 (the seed has merchants 1..3) for $3, and its four instalments. */
const PURCHASE_SQL =
  `WITH o AS (INSERT INTO orders (customer_id, merchant_id, amount_minor, currency, installment_count, status) VALUES ($1, $2, $3, 'EUR', 4, 'active') RETURNING id, customer_id, amount_minor) ` +
  `INSERT INTO installments (order_id, customer_id, seq, amount_minor, currency, due_date, status) ` +
  `SELECT o.id, o.customer_id, s, o.amount_minor / 4, 'EUR', current_date + 30 * s, 'scheduled' FROM o, generate_series(1, 4) s`;
const PURCHASES: ReadonlyArray<(c: number, r: number) => [string, unknown[]]> = [(c, r) => [PURCHASE_SQL, [c, 1 + (r % 3), 4_000 + (r % 1_000) * 100]]];
const KINDS = modeArg === 'multi' ? PURCHASES : CHANGES;

async function main(): Promise<void> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: url, application_name: 'bnpl-bench-writer' });
      await client.connect();
      return client;
    }),
  );
  const idle = [...clients];
  const waiting: Array<(client: Client) => void> = [];
  const acquire = () => (idle.length > 0 ? Promise.resolve(idle.pop() as Client) : new Promise<Client>((resolve) => waiting.push(resolve)));
  const release = (client: Client) => (waiting.length > 0 ? (waiting.shift() as (c: Client) => void)(client) : idle.push(client));

  let committed = 0;
  let errors = 0;
  let late = 0;
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -50) late++;
    const r = Math.floor(Math.random() * 1e9);
    const [sql, params] = KINDS[r % KINDS.length](1 + (r % customers), r);
    const work = acquire().then(async (client) => {
      try {
        await client.query(sql, params);
        committed++;
      } catch {
        errors++;
      } finally {
        release(client);
      }
    });
    inFlight.push(work);
    if (inFlight.length > 10_000) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  process.stdout.write(`${JSON.stringify({ offered: total, committed, errors, late, seconds: elapsed })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
