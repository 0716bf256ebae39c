import { ValueType, bnplCatalog, type EntityFeatureRow, type SourceFeatureReader } from '@bnpl/feature-definitions';
import { InMemoryOnlineStore } from '@bnpl/online-store';
import { InMemoryJobRepository } from '../testing/in-memory-job-repository';
import type { JobQueue, SourceStats } from './job-ports';
import type { Job } from './job.model';
import { JobService, type JobServiceOptions } from './job.service';
import { JobSupervisor } from './job-supervisor';

const MINUTE = 60_000;
/** How long the Pub/Sub emulator keeps a message nobody has taken (pstest's retentionDuration). */
const BROKER_RETENTION_MS = 10 * MINUTE;
const SHARD_MS = 3_000;
const SKIP_MS = 15;

/**
 * A simulated hour on one batch-processor pulling one message at a time from a broker that, like the
 * Pub/Sub emulator (and like Pub/Sub once a message exhausts its delivery attempts while held back by
 * flow control), drops a message nobody took within its retention, without a trace. The clock is
 * simulated: a shard takes 3 s, a skipped message 15 ms.
 */
function simulation(options: JobServiceOptions & { supervise: boolean }) {
  let now = Date.parse('2025-03-15T12:00:00Z');
  const clock = () => new Date(now);
  const repository = new InMemoryJobRepository(clock);
  const broker: Array<{ jobId: string; no: number; publishedAt: number }> = [];
  let dropped = 0;
  let held = 0;
  const queue: JobQueue = {
    requestShard: async (job, shard) => {
      broker.push({ jobId: job.id, no: shard.no, publishedAt: now });
      held = Math.max(held, broker.length);
    },
    reportProgress: async () => undefined,
  };
  const customers = 360;
  const stats: SourceStats = {
    idRanges: async (_e, size) => Array.from({ length: Math.ceil(customers / size) }, (_, i) => ({ fromId: String(i * size + 1), toId: String(Math.min((i + 1) * size, customers)) })),
    changeLogCoverage: async () => null,
    changedIdRanges: async () => [],
    changedEntityIds: async () => [],
  };
  const feature = bnplCatalog.getView('customer_profile').features.find((f) => f.valueType === ValueType.INT64)?.name ?? '';
  const source: SourceFeatureReader = {
    readView: async (_v, ids) => ids.map((id) => ({ [feature]: Number(id) })),
    readViewRange: async (_v, from, to) => {
      const rows: EntityFeatureRow[] = [];
      for (let id = Number(from); id <= Number(to); id++) rows.push({ entityId: String(id), features: { [feature]: id } });
      return rows;
    },
  };
  const online = new InMemoryOnlineStore({ catalog: bnplCatalog });
  const service = new JobService({ catalog: bnplCatalog, repository, queue, stats, source, online }, { clock, ...options });
  const supervisor = new JobSupervisor(repository, queue, service, { stallMs: 30 * MINUTE });

  /** Runs the processor (and the supervisor every 30 s) for `ms` of simulated time. */
  const run = async (ms: number) => {
    const end = now + ms;
    let nextRound = now;
    while (now < end) {
      if (options.supervise && now >= nextRound) {
        await supervisor.round();
        nextRound = now + 30_000;
      }
      for (let i = broker.length - 1; i >= 0; i--) {
        if (now - broker[i].publishedAt > BROKER_RETENTION_MS) {
          broker.splice(i, 1);
          dropped++;
        }
      }
      const message = broker.shift();
      if (!message) {
        now += 1_000;
        continue;
      }
      const outcome = await service.runShard(message.jobId, message.no);
      now += outcome === 'skipped' ? SKIP_MS : SHARD_MS;
    }
  };
  const state = async (job: Job) => {
    const { job: current, shards } = await service.get(job.id);
    return { state: current.state, done: current.shardsDone, neverStarted: shards.filter((s) => s.attempts === 0).length };
  };
  return { service, repository, run, state, broker: () => ({ dropped, held }), advance: (ms: number) => (now += ms) };
}

/** As it happened: a backfill-sized job is cancelled, and a 360-shard job follows it. */
async function cancelThenLargeJob(sim: ReturnType<typeof simulation>) {
  const cancelled = await sim.service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 1 });
  await sim.service.cancel(cancelled.id);
  return sim.service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 1 });
}

describe('a job that never stalls (cancel, then a large job)', () => {
  it('reproduces the lost shards when every shard is queued at once and nothing watches them', async () => {
    const sim = simulation({ queuedShardsPerJob: Number.MAX_SAFE_INTEGER, queuedShardsTotal: Number.MAX_SAFE_INTEGER, supervise: false });
    const large = await cancelThenLargeJob(sim);
    await sim.run(60 * MINUTE);
    // The broker held both jobs' 720 messages; those still waiting 10 minutes later vanished.
    const after = await sim.state(large);
    expect(after.state).toBe('running');
    expect(after.neverStarted).toBeGreaterThan(100);
    expect(after.done + after.neverStarted).toBe(360);
    expect(sim.broker()).toMatchObject({ dropped: after.neverStarted, held: 720 });
  });

  it('finishes it: shards are queued a few at a time, so none waits in the broker long enough to be dropped', async () => {
    const sim = simulation({ supervise: true });
    const large = await cancelThenLargeJob(sim);
    await sim.run(25 * MINUTE);
    expect(await sim.state(large)).toEqual({ state: 'succeeded', done: 360, neverStarted: 0 });
    // The cancelled job's shards beyond its first window were never published.
    expect(sim.broker()).toEqual({ dropped: 0, held: 16 });
  });

  it('queues again the shards whose messages were lost anyway, and fails a job nobody runs with the reason', async () => {
    const sim = simulation({ supervise: true, leases: { pickupMs: 2 * MINUTE } });
    const job = await sim.service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 30 });
    // Every message of the first window lost before anyone pulled it (a processor that never subscribed).
    sim.advance(BROKER_RETENTION_MS + 1);
    await sim.run(10 * MINUTE);
    expect(await sim.state(job)).toEqual({ state: 'succeeded', done: 12, neverStarted: 0 });

    const orphan = await sim.service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 30 });
    // No processor pulls anything any more: the supervisor alone sees the job.
    const supervisor = new JobSupervisor(sim.repository, { requestShard: async () => undefined, reportProgress: async () => undefined }, sim.service, { stallMs: 30 * MINUTE });
    sim.advance(31 * MINUTE);
    const round = await supervisor.round();
    expect(round.failed.map((j) => [j.id, j.state])).toEqual([[orphan.id, 'failed']]);
    expect(round.failed[0].error).toMatch(/no progress for 1800 s: 12 shard\(s\) waiting to start, 0 running/);
  });

  it('tops up the window of a job a crash left short (shards started, their top-up lost) once it stops moving', async () => {
    const sim = simulation({ supervise: false });
    const job = await sim.service.submit({ kind: 'materialize', views: ['customer_profile'], shardSize: 30 });
    // A runner took the eight queued shards and finished them, dying each time before it queued the next.
    for (let no = 0; no < 8; no++) {
      await sim.repository.startShard(job.id, no, { heartbeatMs: 30_000 });
      await sim.repository.finishShard(job.id, no, 30);
    }
    await sim.run(2 * MINUTE); // the eight messages come and are turned away: nothing else is queued
    expect(await sim.state(job)).toEqual({ state: 'running', done: 8, neverStarted: 4 });
    const supervisor = new JobSupervisor(sim.repository, { requestShard: async () => undefined, reportProgress: async () => undefined }, sim.service, { stallMs: 30 * MINUTE });
    expect((await supervisor.round()).queued).toBe(4);
  });
});
