import type { Job, JobQueue, Shard } from '@bnpl/batch';
import type { MessagePublisher } from './message-publisher.port';
import { jobProgressTopic, type JobState } from './topics/job-progress.topic';
import { jobRequestsTopic, type JobKind, type TimeRange } from './topics/job-requests.topic';

const DAY_MS = 86_400_000;

function kindOf(job: Job): JobKind {
  if (job.spec.kind === 'backfill') return 'BACKFILL';
  if (job.spec.kind === 'historical') return 'HISTORICAL';
  return job.spec.incremental ? 'MATERIALIZE_INCREMENTAL' : 'MATERIALIZE_FULL';
}

function timeRangeOf(job: Job, shard: Shard): TimeRange | undefined {
  if (job.spec.kind === 'backfill' && job.spec.from && job.spec.to) return { start: job.spec.from, end: new Date(job.spec.to.getTime() + DAY_MS) };
  if (shard.changedSince) return { start: shard.changedSince, end: shard.asOf };
  return undefined;
}

/**
 * The batch domain's JobQueue over the messaging publisher: one `bnpl.jobs.requests` message per shard
 * (ordered by job, so one job's shards leave in order where the backend orders), job-level progress on
 * `bnpl.jobs.progress`. The jobs table stays the source of truth: a consumer runs the shard it names as
 * the table describes it.
 */
export class MessagingJobQueue implements JobQueue {
  constructor(private readonly publisher: MessagePublisher) {}

  async requestShard(job: Job, shard: Shard): Promise<void> {
    const timeRange = timeRangeOf(job, shard);
    await this.publisher.publish(jobRequestsTopic, {
      jobId: job.id,
      kind: kindOf(job),
      entity: shard.entity,
      featureViews: shard.views,
      asOf: shard.asOf,
      ...(timeRange ? { timeRange } : {}),
      shard: { index: shard.no, count: job.shardsTotal, firstId: shard.fromId, lastId: shard.toId },
      attempt: 1,
    });
  }

  async reportProgress(job: Job): Promise<void> {
    await this.publisher.publish(jobProgressTopic, {
      jobId: job.id,
      state: job.state.toUpperCase() as JobState,
      shardsTotal: job.shardsTotal,
      shardsDone: job.shardsDone,
      rowsDone: job.rowsDone,
      ...(job.state === 'failed' && job.error ? { error: job.error } : {}),
      reportTime: job.updatedAt,
    });
  }
}
