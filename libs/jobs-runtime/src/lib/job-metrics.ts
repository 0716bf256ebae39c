import { type Meter } from '@opentelemetry/api';
import { type Job, type JobQueue } from '@bnpl/batch';

const TERMINAL: ReadonlySet<Job['state']> = new Set(['succeeded', 'failed', 'cancelled']);
/** Job ids remembered as counted, so that a finished job reported again (a redelivered last shard) counts once. */
const REMEMBERED_JOBS = 1_000;

/**
 * The JobQueue with job-level metrics taken from the progress every job reports through it (the job as the
 * jobs table has it after each change): jobs finished and their duration from submission, by kind and final
 * state, counted by the process that finished them (a batch-processor for the last shard, rest-gateway for a
 * cancel). Shard-level figures come from the messaging metrics of `bnpl.jobs.requests` (runs in flight, run
 * durations, dead letters) and rows from the online store's `bnpl_online_store_rows_written_total`.
 */
export function meteredJobQueue(queue: JobQueue, meter: Meter): JobQueue {
  const finished = meter.createCounter('bnpl_batch_jobs_finished', { description: 'Jobs that reached a final state in this process, by kind and state (succeeded, failed, cancelled)' });
  const duration = meter.createHistogram('bnpl_batch_job_duration_seconds', {
    description: 'Seconds from submission to the final state of jobs finished in this process, by kind and state',
    advice: { explicitBucketBoundaries: [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 21_600] },
  });
  const queued = meter.createCounter('bnpl_batch_shards_queued', { description: 'Shard messages published for the batch-processors, by job kind' });
  const counted = new Set<string>();
  return {
    async requestShard(job, shard) {
      await queue.requestShard(job, shard);
      queued.add(1, { kind: job.spec.kind });
    },
    async reportProgress(job) {
      if (TERMINAL.has(job.state) && !counted.has(job.id)) {
        counted.add(job.id);
        if (counted.size > REMEMBERED_JOBS) counted.delete(counted.values().next().value as string);
        const labels = { kind: job.spec.kind, state: job.state };
        finished.add(1, labels);
        duration.record(Math.max(0, ((job.finishedAt ?? job.updatedAt).getTime() - job.createdAt.getTime()) / 1000), labels);
      }
      await queue.reportProgress(job);
    },
  };
}
