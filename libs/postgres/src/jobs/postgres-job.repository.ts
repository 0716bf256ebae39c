import {
  IdempotencyKeyConflictError,
  JobQuotaExceededError,
  type IdempotencyClaim,
  type Job,
  type JobAdmission,
  type JobLeases,
  type JobRepository,
  type JobSpec,
  type JobState,
  type Shard,
  type ShardSpec,
} from '@bnpl/batch';
import { advisoryLockKey } from '../locks/advisory-lock';
import type { SourceDatabase } from '../lib/source-database';

type Row = Record<string, unknown>;

const JOB_COLUMNS = 'id, spec, idempotency_key, principal, state, shards_total, shards_done, rows_done::text AS rows_done, error, created_at, updated_at, finished_at';
const SHARD_COLUMNS =
  'job_id, no, entity, views, from_id::text AS from_id, to_id::text AS to_id, as_of, changed_since, write_online, watermark_to, state, checkpoint_id::text AS checkpoint_id, ' +
  'rows_done::text AS rows_done, attempts, error, queued_at, deliveries, heartbeat_at, progress_at';
/** SHARD_COLUMNS qualified by a table alias. */
const shardColumnsOf = (alias: string) => SHARD_COLUMNS.replace(/(^|, )(\w+)/g, `$1${alias}.$2`);

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

/** What a submission over its quota is told to wait: jobs end at their own pace, so a hint. */
const QUOTA_RETRY_AFTER_SECONDS = 30;
const QUEUE_LOCK = advisoryLockKey('bnpl.jobs.queue');

/**
 * The fair top-up (see `JobRepository.queueFairly`; $1 per job, $2 in all). Each running job offers its
 * next unqueued shards (at most $1 minus those it has queued), each numbered by its turn in the job after
 * the job's queued ones; a principal's offers are numbered by their turn in the principal (its jobs
 * interleaved, older first on a tie) after the principal's queued ones; the room left of $2 is filled by
 * turn, older jobs first on a tie. Reads only running jobs and, through partial indexes, their unfinished
 * shards.
 */
const FAIR_QUEUE = returningRows(`
  WITH running AS (SELECT id, principal, created_at FROM feature_jobs WHERE state = 'running'),
  waiting AS (
    SELECT r.id AS job_id, r.principal, (SELECT count(*) FROM feature_job_shards w WHERE w.job_id = r.id AND w.state = 'pending' AND w.queued_at IS NOT NULL)::int AS n
    FROM running r
  ),
  room AS (SELECT GREATEST(0, $2::int - coalesce(sum(n), 0))::int AS n FROM waiting),
  by_principal AS (SELECT principal, sum(n)::int AS n FROM waiting GROUP BY principal),
  offers AS (
    SELECT r.id AS job_id, r.principal, r.created_at, o.no, w.n + row_number() OVER (PARTITION BY r.id ORDER BY o.no) AS job_turn
    FROM running r
    JOIN waiting w ON w.job_id = r.id
    CROSS JOIN LATERAL (
      SELECT s.no FROM feature_job_shards s WHERE s.job_id = r.id AND s.state = 'pending' AND s.queued_at IS NULL ORDER BY s.no LIMIT GREATEST(0, $1::int - w.n)
    ) o
  ),
  turns AS (
    SELECT o.job_id, o.no, o.created_at,
           p.n + row_number() OVER (PARTITION BY o.principal ORDER BY o.job_turn, o.created_at, o.job_id, o.no) AS turn
    FROM offers o JOIN by_principal p ON p.principal = o.principal
  ),
  picked AS (SELECT job_id, no FROM turns ORDER BY turn, created_at, job_id, no LIMIT (SELECT n FROM room))
  UPDATE feature_job_shards s SET queued_at = now(), deliveries = s.deliveries + 1, updated_at = now()
  FROM picked p WHERE s.job_id = p.job_id AND s.no = p.no
  RETURNING ${shardColumnsOf('s')}`);

/** The jobs tables (migration Jobs1764000000000) over PostgreSQL; see the JobRepository port. */
export class PostgresJobRepository implements JobRepository {
  constructor(private readonly db: SourceDatabase) {}

  async createJob(id: string, spec: JobSpec, idempotency?: IdempotencyClaim, admission?: JobAdmission): Promise<Job> {
    const principal = admission?.principal ?? 'system';
    const max = admission?.maxInFlight;
    const row = await this.db.transaction(async (query) => {
      if (max !== undefined) {
        // One principal's submissions are serialised (a transaction-level lock per principal), so the count
        // and the insert are one step: 1,000 concurrent submissions admit exactly `max`.
        await query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey(`bnpl.jobs.principal:${principal}`)]);
        if (idempotency) {
          const [retry] = await query<Row>(`SELECT id FROM feature_jobs WHERE idempotency_key = $1`, [idempotency.key]);
          if (retry) return null; // answered below, like a lost race
        }
        const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM feature_jobs WHERE principal = $1 AND state IN ('pending', 'running')`, [principal]);
        if (n >= max) throw new JobQuotaExceededError(max, QUOTA_RETRY_AFTER_SECONDS);
      }
      // A concurrent retry with the same key loses the unique index's race and reads the winner's job.
      const [inserted] = await query<Row>(
        `INSERT INTO feature_jobs (id, spec, state, idempotency_key, request_fingerprint, principal) VALUES ($1, $2, 'pending', $3, $4, $5)
         ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING ${JOB_COLUMNS}`,
        [id, JSON.stringify(spec), idempotency?.key ?? null, idempotency?.fingerprint ?? null, principal],
      );
      return inserted ?? null;
    });
    if (row) return toJob(row);
    const [existing] = await this.db.query<Row>(`SELECT ${JOB_COLUMNS}, request_fingerprint FROM feature_jobs WHERE idempotency_key = $1`, [idempotency?.key]);
    if (existing.request_fingerprint !== idempotency?.fingerprint) throw new IdempotencyKeyConflictError(idempotency?.key ?? '', existing.id as string);
    return toJob(existing);
  }

  async getJob(id: string): Promise<Job | null> {
    const [row] = await this.db.query<Row>(`SELECT ${JOB_COLUMNS} FROM feature_jobs WHERE id = $1`, [id]);
    return row ? toJob(row) : null;
  }

  async listJobs(options: { limit: number; state?: JobState; idempotencyKey?: string }): Promise<Job[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${JOB_COLUMNS} FROM feature_jobs WHERE ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR idempotency_key = $3) ORDER BY created_at DESC, id LIMIT $1`,
      [options.limit, options.state ?? null, options.idempotencyKey ?? null],
    );
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
          `INSERT INTO feature_job_shards (job_id, no, entity, views, from_id, to_id, as_of, changed_since, write_online, watermark_to, state)
           SELECT $1, s.no, s.entity, ARRAY(SELECT jsonb_array_elements_text(s.views)), s.from_id::bigint, s.to_id::bigint, s.as_of, s.changed_since, s.write_online, s.watermark_to, 'pending'
           FROM jsonb_to_recordset($2::jsonb) AS s(no int, entity text, views jsonb, from_id text, to_id text, as_of timestamptz, changed_since timestamptz, write_online boolean, watermark_to timestamptz)`,
          [
            jobId,
            JSON.stringify(
              shards.map((s) => ({ no: s.no, entity: s.entity, views: s.views, from_id: s.fromId, to_id: s.toId, as_of: s.asOf, changed_since: s.changedSince, write_online: s.writeOnline, watermark_to: s.watermarkTo })),
            ),
          ],
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

  async queueShards(jobId: string, waiting: number): Promise<Shard[]> {
    // The job's row lock serialises concurrent top-ups, so two of them never overfill the window.
    return this.db.transaction(async (query) => {
      const [job] = await query<Row>(`SELECT state FROM feature_jobs WHERE id = $1 FOR UPDATE`, [jobId]);
      if (job?.state !== 'running') return [];
      const rows = await query<Row>(
        returningRows(`UPDATE feature_job_shards s SET queued_at = now(), deliveries = s.deliveries + 1, updated_at = now()
         FROM (SELECT no FROM feature_job_shards WHERE job_id = $1 AND state = 'pending' AND queued_at IS NULL ORDER BY no
               LIMIT GREATEST(0, $2 - (SELECT count(*) FROM feature_job_shards WHERE job_id = $1 AND state = 'pending' AND queued_at IS NOT NULL))) n
         WHERE s.job_id = $1 AND s.no = n.no
         RETURNING ${shardColumnsOf('s')}`),
        [jobId, waiting],
      );
      return rows.map(toShard).sort((a, b) => a.no - b.no);
    });
  }

  async queueFairly(window: { readonly perJob: number; readonly total: number }): Promise<Array<{ job: Job; shards: Shard[] }>> {
    const rows = await this.db.transaction(async (query) => {
      // One top-up at a time over all jobs (a short statement): two never fill the same room twice.
      await query('SELECT pg_advisory_xact_lock($1::bigint)', [QUEUE_LOCK]);
      return query<Row>(FAIR_QUEUE, [window.perJob, window.total]);
    });
    return this.withTheirJobs(rows.map(toShard));
  }

  /** Shards grouped by job, each group in shard order with its job (a job deleted meanwhile is left out). */
  private async withTheirJobs(shards: readonly Shard[]): Promise<Array<{ job: Job; shards: Shard[] }>> {
    const byJob = new Map<string, Shard[]>();
    for (const shard of shards) byJob.set(shard.jobId, [...(byJob.get(shard.jobId) ?? []), shard]);
    const out: Array<{ job: Job; shards: Shard[] }> = [];
    for (const [jobId, group] of byJob) {
      const job = await this.getJob(jobId);
      if (job) out.push({ job, shards: group.sort((a, b) => a.no - b.no) });
    }
    return out;
  }

  async startShard(jobId: string, no: number, leases: Pick<JobLeases, 'heartbeatMs'>): Promise<Shard | null> {
    // A pending shard, or one left running by a runner whose heartbeat stopped (a dead instance).
    const [row] = await this.db.query<Row>(
      returningRows(`UPDATE feature_job_shards s SET state = 'running', attempts = s.attempts + 1, heartbeat_at = now(), progress_at = now(), updated_at = now()
       FROM feature_jobs j
       WHERE s.job_id = $1 AND s.no = $2 AND j.id = s.job_id AND j.state = 'running'
         AND (s.state = 'pending' OR (s.state = 'running' AND (s.heartbeat_at IS NULL OR s.heartbeat_at < now() - make_interval(secs => $3::float8 / 1000))))
       RETURNING ${shardColumnsOf('s')}`),
      [jobId, no, leases.heartbeatMs],
    );
    return row ? toShard(row) : null;
  }

  async releaseShard(jobId: string, no: number, error: string): Promise<void> {
    await this.db.query(`UPDATE feature_job_shards SET state = 'pending', heartbeat_at = NULL, error = $3, updated_at = now() WHERE job_id = $1 AND no = $2 AND state = 'running'`, [jobId, no, error]);
  }

  async heartbeat(jobId: string, no: number): Promise<boolean> {
    const [row] = await this.db.query<{ state: string }>(
      `WITH beat AS (UPDATE feature_job_shards SET heartbeat_at = now() WHERE job_id = $1 AND no = $2 AND state = 'running')
       SELECT state FROM feature_jobs WHERE id = $1`,
      [jobId, no],
    );
    return row?.state === 'running';
  }

  async saveCheckpoint(jobId: string, no: number, checkpointId: string, rowsDone: number): Promise<boolean> {
    return this.db.transaction(async (query) => {
      await query(
        `UPDATE feature_job_shards SET checkpoint_id = GREATEST(coalesce(checkpoint_id, 0), $3::bigint), rows_done = $4,
           heartbeat_at = now(), progress_at = now(), updated_at = now()
         WHERE job_id = $1 AND no = $2`,
        [jobId, no, checkpointId, rowsDone],
      );
      const [job] = await query<Row>(RECOUNT, [jobId]);
      return job?.state === 'running';
    });
  }

  async finishShard(jobId: string, no: number, rowsDone: number): Promise<Job> {
    return this.db.transaction(async (query) => {
      await query(
        `UPDATE feature_job_shards SET state = 'done', rows_done = $3, error = NULL, progress_at = now(), updated_at = now() WHERE job_id = $1 AND no = $2 AND state <> 'done'`,
        [jobId, no, rowsDone],
      );
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

  async runningJobs(limit: number, idleForMs?: number): Promise<Job[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${JOB_COLUMNS} FROM feature_jobs j WHERE state = 'running'
         AND ($2::float8 IS NULL OR NOT EXISTS (SELECT 1 FROM feature_job_shards p WHERE p.job_id = j.id AND p.progress_at >= now() - make_interval(secs => $2::float8 / 1000)))
       ORDER BY created_at LIMIT $1`,
      [limit, idleForMs ?? null],
    );
    return rows.map(toJob);
  }

  async requeueLost(leases: JobLeases): Promise<Array<{ job: Job; shards: Shard[] }>> {
    // Queued and not started while the job has not moved for the pickup lease (its queue is stuck, so the
    // messages are gone), or running without a heartbeat for the heartbeat lease (its runner is dead).
    const rows = await this.db.query<Row>(
      returningRows(`UPDATE feature_job_shards s SET queued_at = now(), deliveries = s.deliveries + 1, updated_at = now()
       FROM feature_jobs j
       WHERE j.id = s.job_id AND j.state = 'running'
         AND (
           (s.state = 'pending' AND s.queued_at < now() - make_interval(secs => $1::float8 / 1000)
             AND NOT EXISTS (SELECT 1 FROM feature_job_shards p WHERE p.job_id = s.job_id AND p.progress_at >= now() - make_interval(secs => $1::float8 / 1000)))
           OR (s.state = 'running' AND (s.heartbeat_at IS NULL OR s.heartbeat_at < now() - make_interval(secs => $2::float8 / 1000))
               -- once per lease, not every round, while nobody claims it
               AND (s.queued_at IS NULL OR s.queued_at < now() - make_interval(secs => $2::float8 / 1000)))
         )
       RETURNING ${shardColumnsOf('s')}`),
      [leases.pickupMs, leases.heartbeatMs],
    );
    return this.withTheirJobs(rows.map(toShard));
  }

  async failStalled(stallMs: number): Promise<Job[]> {
    const rows = await this.db.query<Row>(
      returningRows(`UPDATE feature_jobs j SET state = 'failed', finished_at = now(), updated_at = now(),
         error = format('no progress for %s s: %s shard(s) waiting to start (queued up to %s times), %s running without progress',
                        round($1::float8 / 1000), c.waiting, c.deliveries, c.running)
       FROM (SELECT job_id, max(progress_at) AS progress_at,
                    count(CASE WHEN state = 'pending' THEN 1 END) AS waiting,
                    count(CASE WHEN state = 'running' THEN 1 END) AS running,
                    coalesce(max(deliveries), 0) AS deliveries
             FROM feature_job_shards GROUP BY job_id) c
       WHERE j.id = c.job_id AND j.state = 'running'
         AND GREATEST(j.created_at, coalesce(c.progress_at, j.created_at)) < now() - make_interval(secs => $1::float8 / 1000)
       RETURNING ${JOB_COLUMNS.replace(/(^|, )(\w+)/g, '$1j.$2')}`),
      [stallMs],
    );
    return rows.map(toJob);
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
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    principal: (row.principal as string | null) ?? 'system',
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
    watermarkTo: row.watermark_to ? new Date(row.watermark_to as string) : null,
    state: row.state as Shard['state'],
    checkpointId: (row.checkpoint_id as string | null) ?? null,
    rowsDone: Number(row.rows_done),
    attempts: row.attempts as number,
    error: (row.error as string | null) ?? null,
    queuedAt: row.queued_at ? new Date(row.queued_at as string) : null,
    deliveries: row.deliveries as number,
    heartbeatAt: row.heartbeat_at ? new Date(row.heartbeat_at as string) : null,
    progressAt: row.progress_at ? new Date(row.progress_at as string) : null,
  };
}
