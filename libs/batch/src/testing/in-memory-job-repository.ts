import { IdempotencyKeyConflictError, JobQuotaExceededError } from '../jobs/invalid-job-request.error';
import type { JobRepository } from '../jobs/job-ports';
import type { IdempotencyClaim, Job, JobAdmission, JobLeases, JobSpec, JobState, Shard, ShardSpec } from '../jobs/job.model';

const ACTIVE: readonly JobState[] = ['pending', 'running'];

/** The JobRepository contract in memory, for unit tests of the job logic. `clock` drives leases and stalls. */
export class InMemoryJobRepository implements JobRepository {
  readonly jobs = new Map<string, Job>();
  readonly shards = new Map<string, Shard[]>();
  readonly watermarks = new Map<string, Date>();
  readonly #fingerprints = new Map<string, string>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async createJob(id: string, spec: JobSpec, idempotency?: IdempotencyClaim, admission?: JobAdmission): Promise<Job> {
    if (idempotency) {
      const existing = [...this.jobs.values()].find((j) => j.idempotencyKey === idempotency.key);
      if (existing) {
        if (this.#fingerprints.get(existing.id) !== idempotency.fingerprint) throw new IdempotencyKeyConflictError(idempotency.key, existing.id);
        return existing;
      }
    }
    const principal = admission?.principal ?? 'system';
    const max = admission?.maxInFlight;
    if (max !== undefined && [...this.jobs.values()].filter((j) => j.principal === principal && ACTIVE.includes(j.state)).length >= max) throw new JobQuotaExceededError(max, 30);
    if (idempotency) this.#fingerprints.set(id, idempotency.fingerprint);
    const now = this.clock();
    const job: Job = { id, spec, idempotencyKey: idempotency?.key ?? null, principal, state: 'pending', shardsTotal: 0, shardsDone: 0, rowsDone: 0, error: null, createdAt: now, updatedAt: now, finishedAt: null };
    this.jobs.set(id, job);
    return job;
  }
  async getJob(id: string): Promise<Job | null> {
    return this.jobs.get(id) ?? null;
  }
  async listJobs(options: { limit: number; state?: JobState; idempotencyKey?: string }): Promise<Job[]> {
    return [...this.jobs.values()]
      .filter((j) => (!options.state || j.state === options.state) && (options.idempotencyKey === undefined || j.idempotencyKey === options.idempotencyKey))
      .reverse()
      .slice(0, options.limit);
  }
  async getShards(jobId: string): Promise<Shard[]> {
    return this.shards.get(jobId) ?? [];
  }
  async planShards(jobId: string, specs: readonly ShardSpec[]): Promise<Shard[] | null> {
    const job = this.jobs.get(jobId);
    if (!job || !ACTIVE.includes(job.state)) return null;
    if (!this.shards.has(jobId)) {
      this.shards.set(jobId, specs.map((s) => ({ ...s, jobId, state: 'pending', checkpointId: null, rowsDone: 0, attempts: 0, error: null, queuedAt: null, deliveries: 0, heartbeatAt: null, progressAt: null })));
    }
    const total = this.shards.get(jobId)?.length ?? 0;
    this.#setJob(jobId, { shardsTotal: total, state: total === 0 ? 'succeeded' : 'running' });
    return this.getShards(jobId);
  }
  async queueShards(jobId: string, waiting: number): Promise<Shard[]> {
    if (this.jobs.get(jobId)?.state !== 'running') return [];
    const shards = this.shards.get(jobId) ?? [];
    const queued = shards.filter((s) => s.state === 'pending' && s.queuedAt !== null).length;
    const next = shards.filter((s) => s.state === 'pending' && s.queuedAt === null).slice(0, Math.max(0, waiting - queued));
    return next.map((s) => this.#setShard(jobId, s.no, { queuedAt: this.clock(), deliveries: s.deliveries + 1 }));
  }
  async queueFairly(window: { readonly perJob: number; readonly total: number }): Promise<Array<{ job: Job; shards: Shard[] }>> {
    // In order of submission (the map keeps it; the clock may stand still in tests).
    const running = [...this.jobs.values()].filter((j) => j.state === 'running');
    const order = new Map(running.map((j, i) => [j.id, i]));
    const waitingOf = (j: Job) => (this.shards.get(j.id) ?? []).filter((s) => s.state === 'pending' && s.queuedAt !== null).length;
    let room = window.total - running.reduce((n, j) => n + waitingOf(j), 0);
    // Each candidate's turn within its job (after the job's queued shards), then within its principal
    // (after the principal's queued shards); the queue takes turns in order.
    const byPrincipal = new Map<string, Array<{ job: Job; shard: Shard; jobTurn: number }>>();
    const principalWaiting = new Map<string, number>();
    for (const job of running) {
      const waiting = waitingOf(job);
      principalWaiting.set(job.principal, (principalWaiting.get(job.principal) ?? 0) + waiting);
      const next = (this.shards.get(job.id) ?? []).filter((s) => s.state === 'pending' && s.queuedAt === null).slice(0, Math.max(0, window.perJob - waiting));
      const list = byPrincipal.get(job.principal) ?? [];
      next.forEach((shard, i) => list.push({ job, shard, jobTurn: waiting + i + 1 }));
      byPrincipal.set(job.principal, list);
    }
    const turns: Array<{ job: Job; shard: Shard; turn: number }> = [];
    for (const [principal, list] of byPrincipal) {
      list.sort((a, b) => a.jobTurn - b.jobTurn || (order.get(a.job.id) ?? 0) - (order.get(b.job.id) ?? 0) || a.shard.no - b.shard.no);
      list.forEach((c, i) => turns.push({ job: c.job, shard: c.shard, turn: (principalWaiting.get(principal) ?? 0) + i + 1 }));
    }
    turns.sort((a, b) => a.turn - b.turn || (order.get(a.job.id) ?? 0) - (order.get(b.job.id) ?? 0) || a.shard.no - b.shard.no);
    const out = new Map<string, { job: Job; shards: Shard[] }>();
    for (const { job, shard } of turns) {
      if (room <= 0) break;
      room--;
      const entry = out.get(job.id) ?? { job, shards: [] };
      entry.shards.push(this.#setShard(job.id, shard.no, { queuedAt: this.clock(), deliveries: shard.deliveries + 1 }));
      out.set(job.id, entry);
    }
    return [...out.values()];
  }
  async startShard(jobId: string, no: number, leases: Pick<JobLeases, 'heartbeatMs'>): Promise<Shard | null> {
    const shard = this.#shard(jobId, no);
    if (this.jobs.get(jobId)?.state !== 'running' || !shard) return null;
    const dead = shard.state === 'running' && (shard.heartbeatAt === null || this.#age(shard.heartbeatAt) > leases.heartbeatMs);
    if (shard.state !== 'pending' && !dead) return null;
    const now = this.clock();
    return this.#setShard(jobId, no, { state: 'running', attempts: shard.attempts + 1, heartbeatAt: now, progressAt: now });
  }
  async releaseShard(jobId: string, no: number, error: string): Promise<void> {
    if (this.#shard(jobId, no)?.state === 'running') this.#setShard(jobId, no, { state: 'pending', heartbeatAt: null, error });
  }
  async heartbeat(jobId: string, no: number): Promise<boolean> {
    if (this.#shard(jobId, no)?.state === 'running') this.#setShard(jobId, no, { heartbeatAt: this.clock() });
    return this.jobs.get(jobId)?.state === 'running';
  }
  async saveCheckpoint(jobId: string, no: number, checkpointId: string, rowsDone: number): Promise<boolean> {
    const shard = this.#shard(jobId, no);
    const max = shard?.checkpointId && BigInt(shard.checkpointId) > BigInt(checkpointId) ? shard.checkpointId : checkpointId;
    const now = this.clock();
    this.#setShard(jobId, no, { checkpointId: max, rowsDone, heartbeatAt: now, progressAt: now });
    return this.#recount(jobId).state === 'running';
  }
  async finishShard(jobId: string, no: number, rowsDone: number): Promise<Job> {
    if (this.#shard(jobId, no)?.state !== 'done') this.#setShard(jobId, no, { state: 'done', rowsDone, progressAt: this.clock() });
    return this.#recount(jobId);
  }
  async failShard(jobId: string, no: number, error: string): Promise<Job> {
    this.#setShard(jobId, no, { state: 'failed', error });
    const job = this.jobs.get(jobId) as Job;
    return this.#setJob(jobId, { state: ACTIVE.includes(job.state) ? 'failed' : job.state, error: job.error ?? error, finishedAt: job.finishedAt ?? this.clock() });
  }
  async cancelJob(id: string): Promise<Job | null> {
    const job = this.jobs.get(id);
    if (!job) return null;
    return ACTIVE.includes(job.state) ? this.#setJob(id, { state: 'cancelled', finishedAt: this.clock() }) : job;
  }
  async runningJobs(limit: number, idleForMs?: number): Promise<Job[]> {
    const idle = (j: Job) => idleForMs === undefined || (this.shards.get(j.id) ?? []).every((s) => s.progressAt === null || this.#age(s.progressAt) >= idleForMs);
    return [...this.jobs.values()].filter((j) => j.state === 'running' && idle(j)).slice(0, limit);
  }
  async requeueLost(leases: JobLeases): Promise<Array<{ job: Job; shards: Shard[] }>> {
    const out: Array<{ job: Job; shards: Shard[] }> = [];
    for (const job of await this.runningJobs(Number.MAX_SAFE_INTEGER)) {
      const shards = this.shards.get(job.id) ?? [];
      const moving = shards.some((s) => s.progressAt !== null && this.#age(s.progressAt) < leases.pickupMs);
      const lost = shards.filter(
        (s) =>
          (s.state === 'pending' && s.queuedAt !== null && this.#age(s.queuedAt) >= leases.pickupMs && !moving) ||
          (s.state === 'running' && (s.heartbeatAt === null || this.#age(s.heartbeatAt) >= leases.heartbeatMs) && (s.queuedAt === null || this.#age(s.queuedAt) >= leases.heartbeatMs)),
      );
      if (lost.length > 0) out.push({ job, shards: lost.map((s) => this.#setShard(job.id, s.no, { queuedAt: this.clock(), deliveries: s.deliveries + 1 })) });
    }
    return out;
  }
  async failStalled(stallMs: number): Promise<Job[]> {
    const failed: Job[] = [];
    for (const job of await this.runningJobs(Number.MAX_SAFE_INTEGER)) {
      const shards = this.shards.get(job.id) ?? [];
      const last = Math.max(job.createdAt.getTime(), ...shards.map((s) => s.progressAt?.getTime() ?? 0));
      if (this.clock().getTime() - last < stallMs) continue;
      const waiting = shards.filter((s) => s.state === 'pending').length;
      const running = shards.filter((s) => s.state === 'running').length;
      const error = `no progress for ${Math.round(stallMs / 1000)} s: ${waiting} shard(s) waiting to start, ${running} running without progress`;
      failed.push(this.#setJob(job.id, { state: 'failed', error, finishedAt: this.clock() }));
    }
    return failed;
  }
  async getWatermark(view: string): Promise<Date | null> {
    return this.watermarks.get(view) ?? null;
  }
  async setWatermark(view: string, at: Date): Promise<void> {
    const old = this.watermarks.get(view);
    if (!old || old < at) this.watermarks.set(view, at);
  }

  #age(t: Date): number {
    return this.clock().getTime() - t.getTime();
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
    const job = { ...(this.jobs.get(id) as Job), ...patch, updatedAt: this.clock() };
    this.jobs.set(id, job);
    return job;
  }
  #recount(jobId: string): Job {
    const shards = this.shards.get(jobId) ?? [];
    const done = shards.filter((s) => s.state === 'done').length;
    const job = this.jobs.get(jobId) as Job;
    const succeeded = job.state === 'running' && done === job.shardsTotal;
    return this.#setJob(jobId, { shardsDone: done, rowsDone: shards.reduce((n, s) => n + s.rowsDone, 0), ...(succeeded ? { state: 'succeeded', finishedAt: this.clock() } : {}) });
  }
}
