import type { Job, JobRequest, Shard } from '@bnpl/batch';
import type { z } from 'zod';
import type { CreateJobRequest, jobSchema, jobShardSchema } from './jobs.schema';

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

export function toJobRequest(body: CreateJobRequest): JobRequest {
  return {
    kind: body.kind,
    ...(body.views !== undefined ? { views: body.views } : {}),
    ...(body.feature_service !== undefined ? { featureService: body.feature_service } : {}),
    ...(body.incremental !== undefined ? { incremental: body.incremental } : {}),
    ...(body.from !== undefined ? { from: body.from } : {}),
    ...(body.to !== undefined ? { to: body.to } : {}),
    ...(body.shard_size !== undefined ? { shardSize: body.shard_size } : {}),
    ...(body.entity_file !== undefined ? { entityFile: body.entity_file } : {}),
    ...(body.output_file !== undefined ? { outputFile: body.output_file } : {}),
    ...(body.output_format !== undefined ? { outputFormat: body.output_format } : {}),
    ...(body.overwrite !== undefined ? { overwrite: body.overwrite } : {}),
    ...(body.features !== undefined ? { features: body.features } : {}),
  };
}

export function toJobView(job: Job): z.input<typeof jobSchema> {
  return {
    id: job.id,
    idempotency_key: job.idempotencyKey,
    principal: job.principal,
    kind: job.spec.kind,
    state: job.state,
    views: [...job.spec.views],
    incremental: job.spec.incremental,
    from: day(job.spec.from),
    to: day(job.spec.to),
    shard_size: job.spec.shardSize,
    training_set: job.spec.trainingSet
      ? {
          entity_file: job.spec.trainingSet.entityFile,
          output_file: job.spec.trainingSet.outputFile,
          overwrite: job.spec.trainingSet.overwrite === true,
          output_format: job.spec.trainingSet.outputFormat,
          features: job.spec.trainingSet.features ? [...job.spec.trainingSet.features] : null,
          feature_service: job.spec.trainingSet.featureService,
        }
      : null,
    shards_total: job.shardsTotal,
    shards_done: job.shardsDone,
    rows_done: job.rowsDone,
    error: job.error,
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}

export function toShardView(shard: Shard): z.input<typeof jobShardSchema> {
  return {
    no: shard.no,
    entity: shard.entity,
    views: [...shard.views],
    from_id: shard.fromId,
    to_id: shard.toId,
    as_of: shard.asOf.toISOString(),
    changed_since: shard.changedSince?.toISOString() ?? null,
    state: shard.state,
    checkpoint_id: shard.checkpointId,
    rows_done: shard.rowsDone,
    attempts: shard.attempts,
    queued_at: shard.queuedAt?.toISOString() ?? null,
    deliveries: shard.deliveries,
    error: shard.error,
  };
}
