import { z } from 'zod';
import { compareEntityIds } from '@bnpl/feature-definitions';
import { messagingType } from './messaging-types';
import { entityIdField, enumField, int32, nameField, optionalTimestampField, timestampField, toTimestamp } from './proto-fields';
import { defineTopic, type Topic } from './topic';

/** What a job computes (proto `JobKind`, without its prefix). */
export const JOB_KINDS = ['MATERIALIZE_FULL', 'MATERIALIZE_INCREMENTAL', 'BACKFILL', 'HISTORICAL'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** A half-open time range [start, end). */
export interface TimeRange {
  readonly start: Date;
  readonly end: Date;
}

/** One shard of a job: the entity ids firstId..lastId, both included. */
export interface JobShard {
  /** From 0, below `count`. */
  readonly index: number;
  readonly count: number;
  readonly firstId: string;
  /** firstId or greater. */
  readonly lastId: string;
}

/** Asks the batch processors to run one shard of a job (proto `JobRequest`). */
export interface JobRequest {
  readonly jobId: string;
  readonly kind: JobKind;
  /** The entity whose ids the shard covers: `customer`, `merchant`. */
  readonly entity: string;
  /** At least one, all of `entity`. */
  readonly featureViews: readonly string[];
  /** The instant the views are computed as of, fixed when the job was planned so that every shard agrees. */
  readonly asOf: Date;
  /** Incremental materialization: the source changes since `start`; backfill: the days covered. */
  readonly timeRange?: TimeRange;
  readonly shard: JobShard;
  /** The run of the job, from 1 (an operator's retry publishes the next); not the Pub/Sub delivery attempt. */
  readonly attempt: number;
}

const fromProto = z
  .object({
    jobId: z.string().min(1, 'is required').max(128, 'must be at most 128 characters'),
    kind: enumField('JOB_KIND', JOB_KINDS),
    entity: nameField,
    featureViews: z.array(nameField).min(1, 'must name at least one feature view'),
    asOf: timestampField,
    startTime: optionalTimestampField,
    endTime: optionalTimestampField,
    shardIndex: z.number().int().min(0, 'must be >= 0'),
    shardCount: z.number().int().min(1, 'must be >= 1'),
    entityIds: z.object({ firstId: entityIdField, lastId: entityIdField }).nullable(),
    attempt: z.number().int().min(1, 'must be >= 1'),
  })
  .transform((p, ctx): JobRequest => {
    const problem = (path: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
      return z.NEVER;
    };
    if (p.shardIndex >= p.shardCount) return problem('shardIndex', `must be below shardCount (${p.shardCount})`);
    if (!p.entityIds) return problem('entityIds', 'is required');
    if (compareEntityIds(p.entityIds.lastId, p.entityIds.firstId) < 0) return problem('entityIds.lastId', 'must not be below firstId');
    if (!p.startTime !== !p.endTime) return problem(p.startTime ? 'endTime' : 'startTime', 'must be set together with the other end of the time range');
    if (p.startTime && p.endTime && p.endTime <= p.startTime) return problem('endTime', 'must be later than startTime');
    const shard = { index: p.shardIndex, count: p.shardCount, ...p.entityIds };
    const request = { jobId: p.jobId, kind: p.kind, entity: p.entity, featureViews: p.featureViews, asOf: p.asOf, shard, attempt: p.attempt };
    return p.startTime && p.endTime ? { ...request, timeRange: { start: p.startTime, end: p.endTime } } : request;
  });

/** `bnpl.jobs.requests`: one message per shard of a job; batch processors share a subscription to split the work. */
export const jobRequestsTopic: Topic<JobRequest> = defineTopic({
  name: 'bnpl.jobs.requests',
  type: messagingType('JobRequest'),
  fromProto,
  toProto: (request) => ({
    jobId: request.jobId,
    kind: `JOB_KIND_${request.kind}`,
    entity: request.entity,
    featureViews: [...request.featureViews],
    asOf: toTimestamp(request.asOf, 'asOf'),
    startTime: request.timeRange ? toTimestamp(request.timeRange.start, 'timeRange.start') : undefined,
    endTime: request.timeRange ? toTimestamp(request.timeRange.end, 'timeRange.end') : undefined,
    shardIndex: int32(request.shard.index, 'shard.index'),
    shardCount: int32(request.shard.count, 'shard.count'),
    entityIds: { firstId: request.shard.firstId, lastId: request.shard.lastId },
    attempt: int32(request.attempt, 'attempt'),
  }),
});
