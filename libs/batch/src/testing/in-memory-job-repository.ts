import type { JobRepository } from '../jobs/job-ports';
import type { Job, JobSpec, JobState, Shard, ShardSpec } from '../jobs/job.model';

/** The JobRepository contract in memory, for unit tests of the job logic. */
export class InMemoryJobRepository implements JobRepository {
  readonly jobs = new Map<string, Job>();
  readonly shards = new Map<string, Shard[]>();
  readonly watermarks = new Map<string, Date>();

  async createJob(id: string, spec: JobSpec): Promise<Job> {
    const now = new Date();
    const job: Job = { id, spec, state: 'pending', shardsTotal: 0, shardsDone: 0, rowsDone: 0, error: null, createdAt: now, updatedAt: now, finishedAt: null };
    this.jobs.set(id, job);
    return job;
  }
  async getJob(id: string): Promise<Job | null> {
    return this.jobs.get(id) ?? null;
  }
  async listJobs(options: { limit: number; state?: JobState }): Promise<Job[]> {
    return [...this.jobs.values()].filter((j) => !options.state || j.state === options.state).reverse().slice(0, options.limit);
  }
  async getShards(jobId: string): Promise<Shard[]> {
    return this.shards.get(jobId) ?? [];
  }
  async planShards(jobId: string, specs: readonly ShardSpec[]): Promise<Shard[] | null> {
    const job = this.jobs.get(jobId);
    if (!job || !['pending', 'running'].includes(job.state)) return null;
    if (!this.shards.has(jobId)) this.shards.set(jobId, specs.map((s) => ({ ...s, jobId, state: 'pending', checkpointId: null, rowsDone: 0, attempts: 0, error: null })));
    const total = this.shards.get(jobId)?.length ?? 0;
    this.#setJob(jobId, { shardsTotal: total, state: total === 0 ? 'succeeded' : 'running' });
    return this.getShards(jobId);
  }
  async startShard(jobId: string, no: number): Promise<Shard | null> {
    const shard = this.#shard(jobId, no);
    if (this.jobs.get(jobId)?.state !== 'running' || !shard || !['pending', 'running'].includes(shard.state)) return null;
    return this.#setShard(jobId, no, { state: 'running', attempts: shard.attempts + 1 });
  }
  async saveCheckpoint(jobId: string, no: number, checkpointId: string, rowsDone: number): Promise<boolean> {
    const shard = this.#shard(jobId, no);
    const max = shard?.checkpointId && BigInt(shard.checkpointId) > BigInt(checkpointId) ? shard.checkpointId : checkpointId;
    this.#setShard(jobId, no, { checkpointId: max, rowsDone });
    return this.#recount(jobId).state === 'running';
  }
  async finishShard(jobId: string, no: number, rowsDone: number): Promise<Job> {
    if (this.#shard(jobId, no)?.state !== 'done') this.#setShard(jobId, no, { state: 'done', rowsDone });
    return this.#recount(jobId);
  }
  async failShard(jobId: string, no: number, error: string): Promise<Job> {
    this.#setShard(jobId, no, { state: 'failed', error });
    const job = this.jobs.get(jobId) as Job;
    return this.#setJob(jobId, { state: ['pending', 'running'].includes(job.state) ? 'failed' : job.state, error: job.error ?? error });
  }
  async cancelJob(id: string): Promise<Job | null> {
    const job = this.jobs.get(id);
    if (!job) return null;
    return ['pending', 'running'].includes(job.state) ? this.#setJob(id, { state: 'cancelled' }) : job;
  }
  async getWatermark(view: string): Promise<Date | null> {
    return this.watermarks.get(view) ?? null;
  }
  async setWatermark(view: string, at: Date): Promise<void> {
    const old = this.watermarks.get(view);
    if (!old || old < at) this.watermarks.set(view, at);
  }

  #shard(jobId: string, no: number): Shard | undefined {
    return this.shards.get(jobId)?.find((s) => s.no === no);
  }
  #setShard(jobId: string, no: number, patch: Partial<Shard>): Shard {
    const list = this.shards.get(jobId) ?? [];
    const i = list.findIndex((s) => s.no === no);
    list[i] = { ...list[i], ...patch };
    return list[i];
  }
  #setJob(id: string, patch: Partial<Job>): Job {
    const job = { ...(this.jobs.get(id) as Job), ...patch, updatedAt: new Date() };
    this.jobs.set(id, job);
    return job;
  }
  #recount(jobId: string): Job {
    const shards = this.shards.get(jobId) ?? [];
    const done = shards.filter((s) => s.state === 'done').length;
    const job = this.jobs.get(jobId) as Job;
    const succeeded = job.state === 'running' && done === job.shardsTotal;
    return this.#setJob(jobId, { shardsDone: done, rowsDone: shards.reduce((n, s) => n + s.rowsDone, 0), ...(succeeded ? { state: 'succeeded', finishedAt: new Date() } : {}) });
  }
}
