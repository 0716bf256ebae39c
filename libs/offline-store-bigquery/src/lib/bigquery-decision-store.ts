import type { BigQuery, Job, TableMetadata } from '@google-cloud/bigquery';
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
import { decodeRows, type BigQueryField, type BigQueryRawRow } from './bigquery-values';

export interface BigQueryDecisionStoreOptions {
  /** A client for the project (the offline store's project). */
  readonly client: BigQuery;
  /** The offline store's dataset: the decision tables sit beside the feature history. */
  readonly dataset: string;
  readonly location?: string;
  /** Partitions older than this expire by themselves (days), a backstop under the retention job; default 25 months + a month. */
  readonly partitionExpirationDays?: number;
}

export const DECISION_RECORDS_TABLE = 'decision_records';
export const DECISION_MARKS_TABLE = 'decision_instance_marks';
export const DECISION_OUTCOMES_TABLE = 'decision_outcomes';
const DATASET = /^[A-Za-z0-9_]{1,1024}$/;
const DAY_MS = 86_400_000;

const field = (name: string, type: string, mode: 'REQUIRED' | 'NULLABLE' = 'REQUIRED') => ({ name, type, mode });

/**
 * The decision tables, each partitioned by day of the decision's `served_at` (what a day's verify, replay
 * and retention read), records clustered by customer (what an auditor asks for), outcomes by decision id.
 */
export function decisionTableMetadata(expirationDays: number): Record<string, TableMetadata> {
  const partitioned = (fieldName: string) => ({ type: 'DAY', field: fieldName, expirationMs: String(expirationDays * DAY_MS) });
  return {
    [DECISION_RECORDS_TABLE]: {
      schema: {
        fields: [
          field('decision_id', 'STRING'),
          field('instance_id', 'STRING'),
          field('sequence', 'INT64'),
          field('previous_sequence', 'INT64'),
          field('previous_hash', 'STRING'),
          field('served_at', 'TIMESTAMP'),
          field('customer_id', 'INT64', 'NULLABLE'),
          field('body', 'STRING'),
          field('hash', 'STRING'),
          field('stored_at', 'TIMESTAMP'),
        ],
      },
      timePartitioning: partitioned('served_at'),
      clustering: { fields: ['customer_id'] },
    },
    [DECISION_MARKS_TABLE]: {
      schema: { fields: [field('instance_id', 'STRING'), field('assigned_through', 'INT64'), field('published_through', 'INT64'), field('sent_at', 'TIMESTAMP'), field('closed', 'BOOL')] },
      timePartitioning: partitioned('sent_at'),
      clustering: { fields: ['instance_id'] },
    },
    [DECISION_OUTCOMES_TABLE]: {
      schema: {
        fields: [
          field('decision_id', 'STRING'),
          field('revision', 'INT64'),
          field('decision', 'STRING'),
          field('reason_codes', 'STRING'),
          field('repayment', 'STRING', 'NULLABLE'),
          field('posted_by', 'STRING', 'NULLABLE'),
          field('posted_at', 'TIMESTAMP'),
          field('labelled_at', 'TIMESTAMP', 'NULLABLE'),
          field('served_at', 'TIMESTAMP'),
        ],
      },
      timePartitioning: partitioned('served_at'),
      clustering: { fields: ['decision_id'] },
    },
  };
}

interface Query {
  readonly sql: string;
  readonly params: Record<string, unknown>;
  readonly types: Record<string, string | string[]>;
}

/** Each record once: a redelivered batch may have been streamed twice (insert ids dedupe within a minute only). */
const ONCE = 'QUALIFY ROW_NUMBER() OVER (PARTITION BY instance_id, sequence ORDER BY stored_at) = 1';
const RECORD_COLUMNS = 'decision_id, instance_id, sequence, previous_sequence, previous_hash, served_at, CAST(customer_id AS STRING) AS customer_id, body, hash';

/**
 * Decision records on BigQuery, beside the offline store's tables (see decisionTableMetadata). Every write
 * is a streaming insert (`tabledata.insertAll`) with an insert id per row, not a load job or DML: a sink
 * writes a batch every fraction of a second, beyond load-job and DML quotas. Idempotency is checked before
 * the insert (the batch's numbers already stored, within its time span, are skipped and counted) and kept
 * at read time (each (instance, sequence) once), since a retried insert may land twice. Instance marks and
 * outcome revisions are appended rows, aggregated when read; an outcome is written over the revision read
 * (a concurrent post of the same revision is refused by the revision check, best effort across processes).
 */
export class BigQueryDecisionStore implements DecisionStore {
  readonly kind = 'bigquery';
  readonly #client: BigQuery;
  readonly #dataset: string;
  readonly #location?: string;
  readonly #expirationDays: number;
  #ensured: Promise<void> | null = null;
  #closed = false;

  /** A store with its own client (Application Default Credentials); the Google client is loaded here. */
  static connect(options: Omit<BigQueryDecisionStoreOptions, 'client'> & { readonly projectId: string }): BigQueryDecisionStore {
    const { BigQuery: Client } = require('@google-cloud/bigquery') as typeof import('@google-cloud/bigquery');
    const { projectId, ...rest } = options;
    return new BigQueryDecisionStore({ ...rest, client: new Client({ projectId, location: options.location }) });
  }

  constructor(options: BigQueryDecisionStoreOptions) {
    if (!DATASET.test(options.dataset)) throw new Error(`Invalid BigQuery dataset name "${options.dataset}"`);
    this.#client = options.client;
    this.#dataset = options.dataset;
    this.#location = options.location;
    this.#expirationDays = options.partitionExpirationDays ?? 26 * 31;
  }

  async append(batch: DecisionBatch): Promise<{ written: number; duplicates: number }> {
    await this.#ensureTables();
    let fresh = batch.records;
    if (fresh.length > 0) {
      const times = fresh.map((r) => r.servedAt.getTime());
      const { rows } = await this.#query(
        {
          sql: `SELECT DISTINCT sequence FROM ${this.#table(DECISION_RECORDS_TABLE)} WHERE served_at BETWEEN @from AND @to AND instance_id = @instance AND sequence IN UNNEST(@sequences)`,
          params: { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)), instance: batch.instanceId, sequences: fresh.map((r) => r.sequence) },
          types: { from: 'TIMESTAMP', to: 'TIMESTAMP', instance: 'STRING', sequences: ['INT64'] },
        },
        true,
      );
      const stored = new Set(decodeRows([{ name: 'sequence', type: 'INT64' }], rows, new Set()).map((row) => Number(row('sequence'))));
      fresh = fresh.filter((r) => !stored.has(r.sequence));
      const storedAt = new Date().toISOString();
      if (fresh.length > 0) {
        await this.#insert(
          DECISION_RECORDS_TABLE,
          fresh.map((r) => ({
            insertId: `${batch.instanceId}/${r.sequence}`,
            json: {
              decision_id: r.decisionId,
              instance_id: batch.instanceId,
              sequence: r.sequence,
              previous_sequence: r.previousSequence,
              previous_hash: r.previousHash,
              served_at: r.servedAt.toISOString(),
              customer_id: r.customerId,
              body: r.body,
              hash: r.hash,
              stored_at: storedAt,
            },
          })),
        );
      }
    }
    const published = batch.records.length > 0 ? batch.records[batch.records.length - 1].sequence : 0;
    await this.#insert(DECISION_MARKS_TABLE, [
      { insertId: `${batch.instanceId}/mark/${batch.assignedThrough}/${published}/${batch.closed}`, json: { instance_id: batch.instanceId, assigned_through: batch.assignedThrough, published_through: published, sent_at: batch.sentAt.toISOString(), closed: batch.closed } },
    ]);
    return { written: fresh.length, duplicates: batch.records.length - fresh.length };
  }

  async find(decisionId: string): Promise<SealedRecord[]> {
    const made = decisionIdTime(decisionId);
    const window = made ? ' AND served_at BETWEEN @from AND @to' : '';
    const params: Record<string, unknown> = { id: decisionId };
    const types: Record<string, string> = { id: 'STRING' };
    if (made) {
      // A UUID v7 id was made when the answer was: the days around it are the only partitions read.
      Object.assign(params, { from: new Date(made.getTime() - DAY_MS), to: new Date(made.getTime() + DAY_MS) });
      Object.assign(types, { from: 'TIMESTAMP', to: 'TIMESTAMP' });
    }
    return this.#records({ sql: `WHERE decision_id = @id${window} ${ONCE} ORDER BY served_at, instance_id, sequence`, params, types });
  }

  async recordAt(instanceId: string, sequence: number): Promise<SealedRecord | null> {
    const [record] = await this.#records({ sql: `WHERE instance_id = @instance AND sequence = @sequence ${ONCE}`, params: { instance: instanceId, sequence }, types: { instance: 'STRING', sequence: 'INT64' } });
    return record ?? null;
  }

  async *scan(from: Date, to: Date, pageSize = DEFAULT_SCAN_PAGE): AsyncIterable<readonly SealedRecord[]> {
    // One query, read a page at a time: the day's partitions are scanned once.
    await this.#ensureTables();
    const job = await this.#call('reading decision records', async () => {
      const [created] = await this.#client.createQueryJob({
        query: `SELECT ${RECORD_COLUMNS} FROM ${this.#table(DECISION_RECORDS_TABLE)} WHERE served_at >= @from AND served_at < @to ${ONCE} ORDER BY instance_id, sequence`,
        params: { from, to },
        types: { from: 'TIMESTAMP', to: 'TIMESTAMP' },
        location: this.#location,
      });
      return created;
    });
    let pageToken: string | undefined;
    do {
      const page = await this.#call('reading decision records', () => resultPage(job, pageSize, pageToken));
      pageToken = page.pageToken;
      if (page.rows.length > 0) yield toRecords(page.fields, page.rows);
    } while (pageToken);
  }

  async lastSequences(instanceIds: readonly string[]): Promise<Map<string, number>> {
    if (instanceIds.length === 0) return new Map();
    await this.#ensureTables();
    const { fields, rows } = await this.#query(
      { sql: `SELECT instance_id, MAX(sequence) AS last FROM ${this.#table(DECISION_RECORDS_TABLE)} WHERE instance_id IN UNNEST(@ids) GROUP BY instance_id`, params: { ids: [...instanceIds] }, types: { ids: ['STRING'] } },
      true,
    );
    return new Map(decodeRows(fields, rows, new Set()).map((row) => [String(row('instance_id')), Number(row('last'))]));
  }

  async instanceMarks(instanceIds: readonly string[]): Promise<Map<string, InstanceMark>> {
    if (instanceIds.length === 0) return new Map();
    await this.#ensureTables();
    const { fields, rows } = await this.#query(
      {
        sql:
          `SELECT instance_id, MAX(assigned_through) AS assigned_through, MAX(published_through) AS published_through, MAX(sent_at) AS last_batch_at, ` +
          `MIN(IF(closed, sent_at, NULL)) AS closed_at FROM ${this.#table(DECISION_MARKS_TABLE)} WHERE instance_id IN UNNEST(@ids) GROUP BY instance_id`,
        params: { ids: [...instanceIds] },
        types: { ids: ['STRING'] },
      },
      true,
    );
    return new Map(
      decodeRows(fields, rows, new Set()).map((row) => [
        String(row('instance_id')),
        {
          instanceId: String(row('instance_id')),
          assignedThrough: Number(row('assigned_through')),
          publishedThrough: Number(row('published_through')),
          lastBatchAt: row('last_batch_at') as Date,
          closedAt: (row('closed_at') as Date | null) ?? null,
        },
      ]),
    );
  }

  async getOutcome(decisionId: string): Promise<DecisionOutcome | null> {
    return (await this.getOutcomes([decisionId])).get(decisionId) ?? null;
  }

  async getOutcomes(decisionIds: readonly string[]): Promise<Map<string, DecisionOutcome>> {
    if (decisionIds.length === 0) return new Map();
    await this.#ensureTables();
    const { fields, rows } = await this.#query(
      {
        sql: `SELECT * FROM ${this.#table(DECISION_OUTCOMES_TABLE)} WHERE decision_id IN UNNEST(@ids) QUALIFY ROW_NUMBER() OVER (PARTITION BY decision_id ORDER BY revision DESC) = 1`,
        params: { ids: [...decisionIds] },
        types: { ids: ['STRING'] },
      },
      true,
    );
    return new Map(
      decodeRows(fields, rows, new Set()).map((row) => [
        String(row('decision_id')),
        {
          decision: String(row('decision')) as OutcomeDecision,
          reasonCodes: String(row('reason_codes')) === '' ? [] : String(row('reason_codes')).split('|'),
          repayment: (row('repayment') as RepaymentLabel | null) ?? null,
          postedBy: (row('posted_by') as string | null) ?? null,
          postedAt: row('posted_at') as Date,
          labelledAt: (row('labelled_at') as Date | null) ?? null,
          servedAt: row('served_at') as Date,
          revision: Number(row('revision')),
        },
      ]),
    );
  }

  async putOutcome(decisionId: string, outcome: DecisionOutcome): Promise<boolean> {
    const current = await this.getOutcome(decisionId);
    if ((current?.revision ?? 0) !== outcome.revision - 1) return false;
    await this.#insert(DECISION_OUTCOMES_TABLE, [
      {
        insertId: `${decisionId}/${outcome.revision}`,
        json: {
          decision_id: decisionId,
          revision: outcome.revision,
          decision: outcome.decision,
          reason_codes: outcome.reasonCodes.join('|'),
          repayment: outcome.repayment,
          posted_by: outcome.postedBy,
          posted_at: outcome.postedAt.toISOString(),
          labelled_at: outcome.labelledAt?.toISOString() ?? null,
          served_at: outcome.servedAt.toISOString(),
        },
      },
    ]);
    return true;
  }

  async deleteServedBefore(cutoff: Date): Promise<{ records: number; outcomes: number }> {
    await this.#ensureTables();
    const params = { params: { cutoff }, types: { cutoff: 'TIMESTAMP' } };
    const records = await this.#query({ sql: `DELETE FROM ${this.#table(DECISION_RECORDS_TABLE)} WHERE served_at < @cutoff`, ...params });
    const outcomes = await this.#query({ sql: `DELETE FROM ${this.#table(DECISION_OUTCOMES_TABLE)} WHERE served_at < @cutoff`, ...params });
    await this.#query({ sql: `DELETE FROM ${this.#table(DECISION_MARKS_TABLE)} WHERE sent_at < @cutoff`, ...params });
    return { records: Number(records.affected ?? 0), outcomes: Number(outcomes.affected ?? 0) };
  }

  async ping(): Promise<void> {
    this.#assertOpen();
    await this.#call('ping', () => this.#client.dataset(this.#dataset).get());
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async #records(where: Query): Promise<SealedRecord[]> {
    await this.#ensureTables();
    const { fields, rows } = await this.#query({ ...where, sql: `SELECT ${RECORD_COLUMNS} FROM ${this.#table(DECISION_RECORDS_TABLE)} ${where.sql}` }, true);
    return toRecords(fields, rows);
  }

  #table(name: string): string {
    return `\`${this.#client.projectId}.${this.#dataset}.${name}\``;
  }

  /** Creates the three tables once per process (existing ones are kept as they are). */
  #ensureTables(): Promise<void> {
    this.#assertOpen();
    if (!this.#ensured) {
      const dataset = this.#client.dataset(this.#dataset);
      this.#ensured = this.#call('creating the decision tables', async () => {
        for (const [name, metadata] of Object.entries(decisionTableMetadata(this.#expirationDays))) {
          try {
            await dataset.createTable(name, metadata);
          } catch (error) {
            if ((error as { code?: unknown }).code !== 409) throw error;
          }
        }
      });
      this.#ensured.catch(() => (this.#ensured = null));
    }
    return this.#ensured;
  }

  async #insert(table: string, rows: Array<{ insertId: string; json: Record<string, unknown> }>): Promise<void> {
    await this.#call(`streaming into ${table}`, () => this.#client.dataset(this.#dataset).table(table).insert(rows, { raw: true }));
  }

  async #query(query: Query, read = false): Promise<{ fields: BigQueryField[]; rows: BigQueryRawRow[]; affected?: string | null }> {
    this.#assertOpen();
    return this.#call('running a query', async () => {
      const [job] = await this.#client.createQueryJob({ query: query.sql, params: query.params, types: query.types, location: this.#location });
      const rows: BigQueryRawRow[] = [];
      let fields: BigQueryField[] = [];
      let pageToken: string | undefined;
      let affected: string | null | undefined;
      do {
        const page = await resultPage(job, read ? 10_000 : 0, pageToken);
        fields = page.fields.length > 0 ? page.fields : fields;
        rows.push(...page.rows);
        affected = page.affected ?? affected;
        pageToken = read ? page.pageToken : undefined;
      } while (pageToken);
      return { fields, rows, affected };
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new DecisionStoreUnavailableError('bigquery: the store is closed');
  }

  async #call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DecisionStoreUnavailableError) throw error;
      throw new DecisionStoreUnavailableError(`bigquery, ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

/** One page of a query's results, waiting while the job runs. */
async function resultPage(job: Job, maxResults: number, pageToken: string | undefined): Promise<{ fields: BigQueryField[]; rows: BigQueryRawRow[]; pageToken?: string; affected?: string | null }> {
  for (;;) {
    const [page, , resp] = await job.getQueryResults({ skipParsing: true, autoPaginate: false, maxResults, pageToken });
    // Each call waits server-side before answering that the job still runs.
    if (resp?.jobComplete === false) continue;
    return {
      fields: (resp?.schema?.fields as BigQueryField[] | undefined) ?? [],
      rows: (page as BigQueryRawRow[] | null) ?? [],
      pageToken: resp?.pageToken ?? undefined,
      affected: resp?.numDmlAffectedRows,
    };
  }
}

function toRecords(fields: readonly BigQueryField[], rows: readonly BigQueryRawRow[]): SealedRecord[] {
  return decodeRows(fields, rows, new Set(['customer_id'])).map((row) => ({
    decisionId: String(row('decision_id')),
    instanceId: String(row('instance_id')),
    sequence: Number(row('sequence')),
    previousSequence: Number(row('previous_sequence')),
    previousHash: String(row('previous_hash')),
    servedAt: row('served_at') as Date,
    customerId: (row('customer_id') as string | null) ?? null,
    body: String(row('body')),
    hash: String(row('hash')),
  }));
}
