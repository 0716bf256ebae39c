import type { Job, JobRepository, JobSpec, JobState, Shard, ShardSpec } from '@bnpl/batch';
import type { SourceDatabase } from '../lib/source-database';

type Row = Record<string, unknown>;

const JOB_COLUMNS = 'id, spec, state, shards_total, shards_done, rows_done::text AS rows_done, error, created_at, updated_at, finished_at';
const SHARD_COLUMNS =
  'job_id, no, entity, views, from_id::text AS from_id, to_id::text AS to_id, as_of, changed_since, write_online, state, checkpoint_id::text AS checkpoint_id, rows_done::text AS rows_done, attempts, error';

/**
 * Every `UPDATE ... RETURNING` here is wrapped as `WITH u AS (...) SELECT * FROM u`: TypeORM's `query`
 * returns `[rows, affected]` for an UPDATE statement, but plain rows for a SELECT.
 */
const returningRows = (update: string) => `WITH u AS (${update}) SELECT * FROM u`;

/** Recomputes a job's counters from its shards, and succeeds a running job whose shards are all done. */
const RECOUNT = returningRows(`
  UPDATE feature_jobs j SET
    shards_done = c.done,
    rows_done = c.rows,
    state = CASE WHEN j.state = 'running' AND c.done = j.shards_total THEN 'succeeded' ELSE j.state END,
    finished_at = CASE WHEN j.state = 'running' AND c.done = j.shards_total THEN now() ELSE j.finished_at END,
    updated_at = now()
  FROM (SELECT count(CASE WHEN state = 'done' THEN 1 END)::int AS done, coalesce(sum(rows_done), 0) AS rows FROM feature_job_shards WHERE job_id = $1) c
  WHERE j.id = $1
  RETURNING ${JOB_COLUMNS.replace(/(^|, )(\w+)/g, '$1j.$2')}`);

/** The jobs tables (migration Jobs1764000000000) over PostgreSQL; see the JobRepository port. */
export class PostgresJobRepository implements JobRepository {
  constructor(private readonly db: SourceDatabase) {}

  async createJob(id: string, spec: JobSpec): Promise<Job> {
    const [row] = await this.db.query<Row>(`INSERT INTO feature_jobs (id, spec, state) VALUES ($1, $2, 'pending') RETURNING ${JOB_COLUMNS}`, [id, JSON.stringify(spec)]);
    return toJob(row);
  }

  async getJob(id: string): Promise<Job | null> {
    const [row] = await this.db.query<Row>(`SELECT ${JOB_COLUMNS} FROM feature_jobs WHERE id = $1`, [id]);
    return row ? toJob(row) : null;
  }

  async listJobs(options: { limit: number; state?: JobState }): Promise<Job[]> {
    const rows = await this.db.query<Row>(`SELECT ${JOB_COLUMNS} FROM feature_jobs WHERE ($2::text IS NULL OR state = $2) ORDER BY created_at DESC, id LIMIT $1`, [options.limit, options.state ?? null]);
    return rows.map(toJob);
  }

  async getShards(jobId: string): Promise<Shard[]> {
    const rows = await this.db.query<Row>(`SELECT ${SHARD_COLUMNS} FROM feature_job_shards WHERE job_id = $1 ORDER BY no`, [jobId]);
    return rows.map(toShard);
  }

  async planShards(jobId: string, shards: readonly ShardSpec[]): Promise<Shard[] | null> {
    return this.db.transaction(async (query) => {
      // The row lock serialises two instances planning the same (redelivered) job.
      const [job] = await query<Row>('SELECT state FROM feature_jobs WHERE id = $1 FOR UPDATE', [jobId]);
      if (!job || !['pending', 'running'].includes(job.state as string)) return null;
      const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM feature_job_shards WHERE job_id = $1', [jobId]);
      if (n === 0 && shards.length > 0) {
        await query(
          `INSERT INTO feature_job_shards (job_id, no, entity, views, from_id, to_id, as_of, changed_since, write_online, state)
           SELECT $1, s.no, s.entity, ARRAY(SELECT jsonb_array_elements_text(s.views)), s.from_id::bigint, s.to_id::bigint, s.as_of, s.changed_since, s.write_online, 'pending'
           FROM jsonb_to_recordset($2::jsonb) AS s(no int, entity text, views jsonb, from_id text, to_id text, as_of timestamptz, changed_since timestamptz, write_online boolean)`,
          [jobId, JSON.stringify(shards.map((s) => ({ no: s.no, entity: s.entity, views: s.views, from_id: s.fromId, to_id: s.toId, as_of: s.asOf, changed_since: s.changedSince, write_online: s.writeOnline })))],
        );
      }
      const total = n === 0 ? shards.length : n;
      await query(
        `UPDATE feature_jobs SET shards_total = $2, state = CASE WHEN $2 = 0 THEN 'succeeded' ELSE 'running' END,
           finished_at = CASE WHEN $2 = 0 THEN now() ELSE finished_at END, updated_at = now() WHERE id = $1`,
        [jobId, total],
      );
      return (await query<Row>(`SELECT ${SHARD_COLUMNS} FROM feature_job_shards WHERE job_id = $1 ORDER BY no`, [jobId])).map(toShard);
    });
  }

  async startShard(jobId: string, no: number): Promise<Shard | null> {
    // A shard left `running` by a dead instance is claimed again (its message was redelivered).
    const [row] = await this.db.query<Row>(
      returningRows(`UPDATE feature_job_shards s SET state = 'running', attempts = s.attempts + 1, updated_at = now()
       FROM feature_jobs j
       WHERE s.job_id = $1 AND s.no = $2 AND j.id = s.job_id AND j.state = 'running' AND s.state IN ('pending', 'running')
       RETURNING ${SHARD_COLUMNS.replace(/(^|, )(\w+)/g, '$1s.$2')}`),
      [jobId, no],
    );
    return row ? toShard(row) : null;
  }

  async saveCheckpoint(jobId: string, no: number, checkpointId: string, rowsDone: number): Promise<boolean> {
    return this.db.transaction(async (query) => {
      await query(
        `UPDATE feature_job_shards SET checkpoint_id = GREATEST(coalesce(checkpoint_id, 0), $3::bigint), rows_done = $4, updated_at = now()
         WHERE job_id = $1 AND no = $2`,
        [jobId, no, checkpointId, rowsDone],
      );
      const [job] = await query<Row>(RECOUNT, [jobId]);
      return job?.state === 'running';
    });
  }

  async finishShard(jobId: string, no: number, rowsDone: number): Promise<Job> {
    return this.db.transaction(async (query) => {
      await query(`UPDATE feature_job_shards SET state = 'done', rows_done = $3, error = NULL, updated_at = now() WHERE job_id = $1 AND no = $2 AND state <> 'done'`, [jobId, no, rowsDone]);
      const [job] = await query<Row>(RECOUNT, [jobId]);
      return toJob(job);
    });
  }

  async failShard(jobId: string, no: number, error: string): Promise<Job> {
    return this.db.transaction(async (query) => {
      await query(`UPDATE feature_job_shards SET state = 'failed', error = $3, updated_at = now() WHERE job_id = $1 AND no = $2`, [jobId, no, error]);
      const [job] = await query<Row>(
        returningRows(`UPDATE feature_jobs SET state = CASE WHEN state IN ('pending', 'running') THEN 'failed' ELSE state END, error = coalesce(error, $2),
           finished_at = coalesce(finished_at, now()), updated_at = now() WHERE id = $1 RETURNING ${JOB_COLUMNS}`),
        [jobId, error],
      );
      return toJob(job);
    });
  }

  async cancelJob(id: string): Promise<Job | null> {
    await this.db.query(`UPDATE feature_jobs SET state = 'cancelled', finished_at = now(), updated_at = now() WHERE id = $1 AND state IN ('pending', 'running')`, [id]);
    return this.getJob(id);
  }

  async getWatermark(view: string): Promise<Date | null> {
    const [row] = await this.db.query<{ watermark: Date }>('SELECT watermark FROM materialization_watermarks WHERE view = $1', [view]);
    return row ? new Date(row.watermark) : null;
  }

  async setWatermark(view: string, at: Date): Promise<void> {
    // A slower, older run finishing late never moves the watermark back.
    await this.db.query(
      `INSERT INTO materialization_watermarks (view, watermark) VALUES ($1, $2)
       ON CONFLICT (view) DO UPDATE SET watermark = GREATEST(materialization_watermarks.watermark, EXCLUDED.watermark), updated_at = now()`,
      [view, at],
    );
  }
}

function toJob(row: Row): Job {
  const spec = row.spec as Record<string, unknown>;
  return {
    id: row.id as string,
    spec: {
      kind: spec.kind as JobSpec['kind'],
      views: spec.views as string[],
      incremental: spec.incremental as boolean,
      from: spec.from ? new Date(spec.from as string) : null,
      to: spec.to ? new Date(spec.to as string) : null,
      shardSize: spec.shardSize as number,
      ...(spec.trainingSet ? { trainingSet: spec.trainingSet as JobSpec['trainingSet'] } : {}),
    },
    state: row.state as JobState,
    shardsTotal: row.shards_total as number,
    shardsDone: row.shards_done as number,
    rowsDone: Number(row.rows_done),
    error: (row.error as string | null) ?? null,
    createdAt: new Date(row.created_at as string),
    updatedAt: new Date(row.updated_at as string),
    finishedAt: row.finished_at ? new Date(row.finished_at as string) : null,
  };
}

function toShard(row: Row): Shard {
  return {
    jobId: row.job_id as string,
    no: row.no as number,
    entity: row.entity as string,
    views: row.views as string[],
    fromId: row.from_id as string,
    toId: row.to_id as string,
    asOf: new Date(row.as_of as string),
    changedSince: row.changed_since ? new Date(row.changed_since as string) : null,
    writeOnline: row.write_online as boolean,
    state: row.state as Shard['state'],
    checkpointId: (row.checkpoint_id as string | null) ?? null,
    rowsDone: Number(row.rows_done),
    attempts: row.attempts as number,
    error: (row.error as string | null) ?? null,
  };
}
