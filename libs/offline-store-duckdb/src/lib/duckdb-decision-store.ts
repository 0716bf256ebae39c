import { BIGINT, VARCHAR, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import {
  DEFAULT_SCAN_PAGE,
  DecisionStoreUnavailableError,
  decisionIdTime,
  type DecisionBatch,
  type DecisionOutcome,
  type DecisionStore,
  type InstanceMark,
  type OutcomeDecision,
  type RepaymentLabel,
  type SealedRecord,
} from '@bnpl/decision-records';
import { appendColumns } from './duckdb-sql';

/** Schema of the decision tables, beside `features` in the offline store's file. */
export const DECISIONS_SCHEMA = 'decisions';
const RECORDS = `${DECISIONS_SCHEMA}.records`;
const INSTANCES = `${DECISIONS_SCHEMA}.instances`;
const OUTCOMES = `${DECISIONS_SCHEMA}.outcomes`;
const DAY_MS = 86_400_000;

interface PendingAppend {
  readonly batch: DecisionBatch;
  readonly resolve: (result: { written: number; duplicates: number }) => void;
  readonly reject: (error: unknown) => void;
}

/** What runs work on a connection to the offline store's database (DuckDBOfflineStore.withConnection). */
export interface DuckDBConnections {
  withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
}

const RECORD_COLUMNS = 'decision_id, instance_id, sequence, previous_sequence, previous_hash, served_at, customer_id, body, hash';

/**
 * Decision records in the offline store's DuckDB file (schema `decisions`): `records` (one row per record:
 * the index columns, the canonical body as hashed, its hash), `instances` (each serving instance's marks)
 * and `outcomes`. No index on the records: an index over years of records costs memory and slows appends;
 * rows arrive in time order, so DuckDB's per-row-group min/max of `served_at` prunes every lookup given a
 * time (a UUID v7 decision id carries one; a duplicate of a batch has its records' times). Writes are
 * serialised in this process (the file's only owner).
 */
export class DuckDBDecisionStore implements DecisionStore {
  readonly kind = 'duckdb';
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: DuckDBConnections) {}

  /** The store over an open offline store's database: creates its tables when missing. */
  static async over(db: DuckDBConnections): Promise<DuckDBDecisionStore> {
    const store = new DuckDBDecisionStore(db);
    await store.#run('creating the decision tables', (c) =>
      c.run(
        `CREATE SCHEMA IF NOT EXISTS ${DECISIONS_SCHEMA};
         CREATE TABLE IF NOT EXISTS ${RECORDS} (decision_id VARCHAR NOT NULL, instance_id VARCHAR NOT NULL, sequence BIGINT NOT NULL,
           previous_sequence BIGINT NOT NULL, previous_hash VARCHAR NOT NULL, served_at TIMESTAMPTZ NOT NULL, customer_id BIGINT,
           body VARCHAR NOT NULL, hash VARCHAR NOT NULL, stored_at TIMESTAMPTZ NOT NULL);
         CREATE TABLE IF NOT EXISTS ${INSTANCES} (instance_id VARCHAR PRIMARY KEY, assigned_through BIGINT NOT NULL, published_through BIGINT NOT NULL,
           last_batch_at TIMESTAMPTZ NOT NULL, closed_at TIMESTAMPTZ);
         CREATE TABLE IF NOT EXISTS ${OUTCOMES} (decision_id VARCHAR NOT NULL, decision VARCHAR NOT NULL, reason_codes VARCHAR NOT NULL, repayment VARCHAR,
           posted_by VARCHAR, posted_at TIMESTAMPTZ NOT NULL, labelled_at TIMESTAMPTZ, served_at TIMESTAMPTZ NOT NULL, revision INTEGER NOT NULL)`,
      ),
    );
    return store;
  }

  /**
   * Group commit: batches that arrive while a write runs are stored together by the next one, in one
   * transaction (a sink consuming several messages at once pays one commit for all of them). Each caller's
   * promise settles with its own batch's counts once its group is committed.
   */
  append(batch: DecisionBatch): Promise<{ written: number; duplicates: number }> {
    return new Promise((resolve, reject) => {
      this.#appends.push({ batch, resolve, reject });
      void this.#drainAppends();
    });
  }

  readonly #appends: PendingAppend[] = [];
  #appending = false;

  async #drainAppends(): Promise<void> {
    if (this.#appending) return;
    this.#appending = true;
    try {
      while (this.#appends.length > 0) {
        const group: PendingAppend[] = [];
        let records = 0;
        // A group's size is bounded: one transaction of at most ~20,000 records.
        while (this.#appends.length > 0 && (group.length === 0 || records + this.#appends[0].batch.records.length <= 20_000)) {
          const next = this.#appends.shift() as PendingAppend;
          records += next.batch.records.length;
          group.push(next);
        }
        try {
          const results = await this.#write('storing decision records', (c) => this.#appendGroup(c, group.map((g) => g.batch)));
          group.forEach((g, i) => g.resolve(results[i]));
        } catch (error) {
          for (const g of group) g.reject(error);
        }
      }
    } finally {
      this.#appending = false;
    }
  }

  async #appendGroup(c: DuckDBConnection, batches: readonly DecisionBatch[]): Promise<Array<{ written: number; duplicates: number }>> {
    const rows = batches.flatMap((b) => b.records.map((r) => ({ instanceId: b.instanceId, r })));
    const inserted = new Set<string>();
    await c.run('BEGIN TRANSACTION');
    try {
      if (rows.length > 0) {
        await c.run('CREATE OR REPLACE TEMP TABLE staged (decision_id VARCHAR, instance_id VARCHAR, sequence BIGINT, previous_sequence BIGINT, previous_hash VARCHAR, served_ms BIGINT, customer_id BIGINT, body VARCHAR, hash VARCHAR)');
        const appender = await c.createAppender('staged', 'main', 'temp');
        try {
          const columns: DuckDBValue[][] = [
            rows.map(({ r }) => r.decisionId),
            rows.map(({ instanceId }) => instanceId),
            rows.map(({ r }) => BigInt(r.sequence)),
            rows.map(({ r }) => BigInt(r.previousSequence)),
            rows.map(({ r }) => r.previousHash),
            rows.map(({ r }) => BigInt(r.servedAt.getTime())),
            rows.map(({ r }) => (r.customerId === null ? null : BigInt(r.customerId))),
            rows.map(({ r }) => r.body),
            rows.map(({ r }) => r.hash),
          ];
          appendColumns(appender, [VARCHAR, VARCHAR, BIGINT, BIGINT, VARCHAR, BIGINT, BIGINT, VARCHAR, VARCHAR], columns, rows.length);
        } finally {
          appender.closeSync();
        }
        const times = rows.map(({ r }) => r.servedAt.getTime());
        // A redelivered batch: its records, if stored, were served within the batches' own time span. A
        // record twice in one group (two deliveries of one batch) is inserted once.
        const reader = await c.runAndReadAll(
          `INSERT INTO ${RECORDS} SELECT s.decision_id, s.instance_id, s.sequence, s.previous_sequence, s.previous_hash, make_timestamptz(s.served_ms * 1000), s.customer_id, s.body, s.hash, now()
           FROM temp.main.staged s WHERE NOT EXISTS (SELECT 1 FROM ${RECORDS} r WHERE r.served_at BETWEEN make_timestamptz(CAST($from AS BIGINT)) AND make_timestamptz(CAST($to AS BIGINT))
             AND r.instance_id = s.instance_id AND r.sequence = s.sequence)
           QUALIFY row_number() OVER (PARTITION BY s.instance_id, s.sequence) = 1
           RETURNING instance_id, sequence`,
          { from: BigInt(Math.min(...times)) * 1000n, to: BigInt(Math.max(...times)) * 1000n },
        );
        for (const [instance, sequence] of reader.getRows()) inserted.add(`${String(instance)}\0${String(sequence)}`);
      }
      for (const batch of batches) {
        const published = batch.records.length > 0 ? batch.records[batch.records.length - 1].sequence : 0;
        await c.run(
          `INSERT INTO ${INSTANCES} VALUES ($id, $assigned, $published, make_timestamptz(CAST($sent AS BIGINT)), CASE WHEN $closed THEN make_timestamptz(CAST($sent AS BIGINT)) END)
           ON CONFLICT (instance_id) DO UPDATE SET assigned_through = greatest(assigned_through, excluded.assigned_through),
             published_through = greatest(published_through, excluded.published_through), last_batch_at = greatest(last_batch_at, excluded.last_batch_at),
             closed_at = coalesce(closed_at, excluded.closed_at)`,
          { id: batch.instanceId, assigned: BigInt(batch.assignedThrough), published: BigInt(published), sent: micros(batch.sentAt), closed: batch.closed },
        );
      }
      await c.run('COMMIT');
    } catch (error) {
      await c.run('ROLLBACK');
      throw error;
    }
    // Each inserted record is counted once, for the first batch of the group that carried it.
    return batches.map((batch) => {
      let written = 0;
      for (const r of batch.records) if (inserted.delete(`${batch.instanceId}\0${r.sequence}`)) written++;
      return { written, duplicates: batch.records.length - written };
    });
  }

  async find(decisionId: string): Promise<SealedRecord[]> {
    const made = decisionIdTime(decisionId);
    // A UUID v7 id was made when the answer was: its day (with a day's margin for clocks) prunes the scan.
    const window = made ? ` AND served_at BETWEEN make_timestamptz(CAST($from AS BIGINT)) AND make_timestamptz(CAST($to AS BIGINT))` : '';
    return this.#records(`WHERE decision_id = $id${window} ORDER BY served_at, instance_id, sequence`, made ? { id: decisionId, from: micros(new Date(made.getTime() - DAY_MS)), to: micros(new Date(made.getTime() + DAY_MS)) } : { id: decisionId });
  }

  async recordAt(instanceId: string, sequence: number): Promise<SealedRecord | null> {
    const [record] = await this.#records('WHERE instance_id = $id AND sequence = $sequence', { id: instanceId, sequence: BigInt(sequence) });
    return record ?? null;
  }

  async *scan(from: Date, to: Date, pageSize = DEFAULT_SCAN_PAGE): AsyncIterable<readonly SealedRecord[]> {
    // Keyset pages over the range: every page a bounded read, whatever the day's size.
    let after: { instance: string; sequence: bigint } | null = null;
    for (;;) {
      const keyset = after ? ' AND (instance_id > $instance OR (instance_id = $instance AND sequence > $sequence))' : '';
      const params: Record<string, DuckDBValue> = { from: micros(from), to: micros(to), limit: BigInt(pageSize) };
      if (after) Object.assign(params, { instance: after.instance, sequence: after.sequence });
      const page = await this.#records(`WHERE served_at >= make_timestamptz(CAST($from AS BIGINT)) AND served_at < make_timestamptz(CAST($to AS BIGINT))${keyset} ORDER BY instance_id, sequence LIMIT $limit`, params);
      if (page.length === 0) return;
      yield page;
      const last = page[page.length - 1];
      after = { instance: last.instanceId, sequence: BigInt(last.sequence) };
      if (page.length < pageSize) return;
    }
  }

  async lastSequences(instanceIds: readonly string[]): Promise<Map<string, number>> {
    if (instanceIds.length === 0) return new Map();
    const ids = inList(instanceIds);
    const rows = await this.#read('reading decision records', `SELECT instance_id, max(sequence) FROM ${RECORDS} WHERE instance_id IN ${ids.sql} GROUP BY instance_id`, ids.params);
    return new Map(rows.map(([id, max]) => [String(id), Number(max)]));
  }

  async instanceMarks(instanceIds: readonly string[]): Promise<Map<string, InstanceMark>> {
    if (instanceIds.length === 0) return new Map();
    const ids = inList(instanceIds);
    const rows = await this.#read('reading instance marks', `SELECT instance_id, assigned_through, published_through, epoch_ms(last_batch_at), epoch_ms(closed_at) FROM ${INSTANCES} WHERE instance_id IN ${ids.sql}`, ids.params);
    return new Map(
      rows.map(([id, assigned, published, last, closed]) => [
        String(id),
        { instanceId: String(id), assignedThrough: Number(assigned), publishedThrough: Number(published), lastBatchAt: new Date(Number(last)), closedAt: closed === null ? null : new Date(Number(closed)) },
      ]),
    );
  }

  async getOutcome(decisionId: string): Promise<DecisionOutcome | null> {
    return (await this.getOutcomes([decisionId])).get(decisionId) ?? null;
  }

  async getOutcomes(decisionIds: readonly string[]): Promise<Map<string, DecisionOutcome>> {
    if (decisionIds.length === 0) return new Map();
    const ids = inList(decisionIds);
    const rows = await this.#read(
      'reading outcomes',
      `SELECT decision_id, decision, reason_codes, repayment, posted_by, epoch_ms(posted_at), epoch_ms(labelled_at), epoch_ms(served_at), revision FROM ${OUTCOMES} WHERE decision_id IN ${ids.sql}`,
      ids.params,
    );
    return new Map(rows.map((row) => [String(row[0]), outcomeOf(row)]));
  }

  async putOutcome(decisionId: string, outcome: DecisionOutcome): Promise<boolean> {
    return this.#write('storing an outcome', async (c) => {
      const [current] = (await c.runAndReadAll(`SELECT max(revision) FROM ${OUTCOMES} WHERE decision_id = $id`, { id: decisionId })).getRows();
      if (Number(current?.[0] ?? 0) !== outcome.revision - 1) return false;
      await c.run('BEGIN TRANSACTION');
      try {
        await c.run(`DELETE FROM ${OUTCOMES} WHERE decision_id = $id`, { id: decisionId });
        await c.run(
          `INSERT INTO ${OUTCOMES} VALUES ($id, $decision, $codes, $repayment, $by, make_timestamptz(CAST($posted AS BIGINT)), CASE WHEN $labelled IS NULL THEN NULL ELSE make_timestamptz(CAST($labelled AS BIGINT)) END, make_timestamptz(CAST($served AS BIGINT)), $revision)`,
          {
            id: decisionId,
            decision: outcome.decision,
            codes: outcome.reasonCodes.join('|'),
            repayment: outcome.repayment,
            by: outcome.postedBy,
            posted: micros(outcome.postedAt),
            labelled: outcome.labelledAt ? micros(outcome.labelledAt) : null,
            served: micros(outcome.servedAt),
            revision: outcome.revision,
          },
        );
        await c.run('COMMIT');
      } catch (error) {
        await c.run('ROLLBACK');
        throw error;
      }
      return true;
    });
  }

  async deleteServedBefore(cutoff: Date): Promise<{ records: number; outcomes: number }> {
    return this.#write('deleting old decision records', async (c) => {
      const params = { cutoff: micros(cutoff) };
      const records = await c.run(`DELETE FROM ${RECORDS} WHERE served_at < make_timestamptz(CAST($cutoff AS BIGINT))`, params);
      const outcomes = await c.run(`DELETE FROM ${OUTCOMES} WHERE served_at < make_timestamptz(CAST($cutoff AS BIGINT))`, params);
      await c.run(`DELETE FROM ${INSTANCES} WHERE last_batch_at < make_timestamptz(CAST($cutoff AS BIGINT))`, params);
      return { records: Number(records.rowsChanged), outcomes: Number(outcomes.rowsChanged) };
    });
  }

  async ping(): Promise<void> {
    await this.#run('ping', (c) => c.run(`SELECT count(*) FROM ${INSTANCES}`));
  }

  /** The offline store owns the database: closing it closes this. */
  async close(): Promise<void> {
    // Nothing of its own to release; pending writes finish first.
    await this.#writes.catch(() => undefined);
  }

  async #records(where: string, params: Record<string, DuckDBValue>): Promise<SealedRecord[]> {
    const rows = await this.#read('reading decision records', `SELECT ${RECORD_COLUMNS.replace('served_at', 'epoch_ms(served_at)')} FROM ${RECORDS} ${where}`, params);
    return rows.map(([decisionId, instanceId, sequence, previousSequence, previousHash, servedMs, customerId, body, hash]) => ({
      decisionId: String(decisionId),
      instanceId: String(instanceId),
      sequence: Number(sequence),
      previousSequence: Number(previousSequence),
      previousHash: String(previousHash),
      servedAt: new Date(Number(servedMs)),
      customerId: customerId === null ? null : String(customerId),
      body: String(body),
      hash: String(hash),
    }));
  }

  async #read(what: string, sql: string, params: Record<string, DuckDBValue>): Promise<DuckDBValue[][]> {
    return this.#run(what, async (c) => (await c.runAndReadAll(sql, params)).getRows());
  }

  /** Writes one at a time: DuckDB would refuse concurrent conflicting transactions. */
  #write<T>(what: string, work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.#writes.then(
      () => this.#run(what, work),
      () => this.#run(what, work),
    );
    this.#writes = run.catch(() => undefined);
    return run;
  }

  async #run<T>(what: string, work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    try {
      return await this.db.withConnection(work);
    } catch (error) {
      if (error instanceof DecisionStoreUnavailableError) throw error;
      throw new DecisionStoreUnavailableError(`duckdb, ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

/** A Date as microseconds since the epoch: what `make_timestamptz(BIGINT)` takes. */
const micros = (d: Date): bigint => BigInt(d.getTime()) * 1000n;

/** `IN (...)` over `values` as numbered parameters. */
function inList(values: readonly string[]): { sql: string; params: Record<string, DuckDBValue> } {
  const params: Record<string, DuckDBValue> = {};
  values.forEach((v, i) => (params[`v${i}`] = v));
  return { sql: `(${values.map((_, i) => `$v${i}`).join(', ')})`, params };
}

function outcomeOf(row: DuckDBValue[]): DecisionOutcome {
  const [, decision, codes, repayment, postedBy, postedMs, labelledMs, servedMs, revision] = row;
  return {
    decision: String(decision) as OutcomeDecision,
    reasonCodes: String(codes) === '' ? [] : String(codes).split('|'),
    repayment: repayment === null ? null : (String(repayment) as RepaymentLabel),
    postedBy: postedBy === null ? null : String(postedBy),
    postedAt: new Date(Number(postedMs)),
    labelledAt: labelledMs === null ? null : new Date(Number(labelledMs)),
    servedAt: new Date(Number(servedMs)),
    revision: Number(revision),
  };
}
