import { z } from 'zod';
import { messagingType } from './messaging-types';
import { enumField, int32, int64, safeCountField, timestampField, toTimestamp } from './proto-fields';
import { defineTopic, type Topic } from './topic';

/** Where a job stands (proto `JobState`, without its prefix). */
export const JOB_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Where one shard of a job stands (proto `ShardState`, without its prefix). */
export const SHARD_STATES = ['PENDING', 'RUNNING', 'DONE', 'FAILED'] as const;
export type ShardState = (typeof SHARD_STATES)[number];

/** How far one shard of a job has come (proto `ShardProgress`). */
export interface ShardProgress {
  readonly index: number;
  /** Runs of the shard started, this one included: from 1. */
  readonly attempt: number;
  readonly state: ShardState;
  readonly rowsDone: number;
}

/** Where a job stands (proto `JobProgress`). */
export interface JobProgress {
  readonly jobId: string;
  readonly state: JobState;
  /** 0 until the shards are planned. */
  readonly shardsTotal: number;
  /** At most shardsTotal. */
  readonly shardsDone: number;
  /** Rows (entity x view) written so far, over every shard. */
  readonly rowsDone: number;
  /** Why the job failed: present exactly when state is FAILED. */
  readonly error?: string;
  readonly reportTime: Date;
  /** The shard whose change this report follows; absent when the change is the job's own. */
  readonly shard?: ShardProgress;
}

const count = z.number().int().min(0, 'must be >= 0');

const fromProto = z
  .object({
    jobId: z.string().min(1, 'is required').max(128, 'must be at most 128 characters'),
    state: enumField('JOB_STATE', JOB_STATES),
    shardsTotal: count,
    shardsDone: count,
    rowsDone: safeCountField,
    error: z.string(),
    reportTime: timestampField,
    shard: z
      .object({ index: count, attempt: z.number().int().min(1, 'must be >= 1'), state: enumField('SHARD_STATE', SHARD_STATES), rowsDone: safeCountField })
      .nullable(),
  })
  .transform(({ error, shard, ...progress }, ctx): JobProgress => {
    const problem = (path: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
      return z.NEVER;
    };
    if (progress.shardsDone > progress.shardsTotal) return problem('shardsDone', `must be at most shardsTotal (${progress.shardsTotal})`);
    if ((progress.state === 'FAILED') !== (error !== '')) return problem('error', 'must be set exactly when state is FAILED');
    if (shard && shard.index >= progress.shardsTotal) return problem('shard.index', `must be below shardsTotal (${progress.shardsTotal})`);
    return { ...progress, ...(error ? { error } : {}), ...(shard ? { shard } : {}) };
  });

/** `bnpl.jobs.progress`: where jobs stand, for the jobs API and the CLI's progress bars. */
export const jobProgressTopic: Topic<JobProgress> = defineTopic({
  name: 'bnpl.jobs.progress',
  type: messagingType('JobProgress'),
  fromProto,
  toProto: (progress) => ({
    jobId: progress.jobId,
    state: `JOB_STATE_${progress.state}`,
    shardsTotal: int32(progress.shardsTotal, 'shardsTotal'),
    shardsDone: int32(progress.shardsDone, 'shardsDone'),
    rowsDone: int64(progress.rowsDone, 'rowsDone'),
    error: progress.error ?? '',
    reportTime: toTimestamp(progress.reportTime, 'reportTime'),
    shard: progress.shard
      ? {
          index: int32(progress.shard.index, 'shard.index'),
          attempt: int32(progress.shard.attempt, 'shard.attempt'),
          state: `SHARD_STATE_${progress.shard.state}`,
          rowsDone: int64(progress.shard.rowsDone, 'shard.rowsDone'),
        }
      : undefined,
  }),
});
