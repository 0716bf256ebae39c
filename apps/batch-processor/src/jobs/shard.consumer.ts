import { Controller, Inject, Logger, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { JobService } from '@bnpl/batch';
import { JOB_SERVICE } from '@bnpl/jobs-runtime';
import { jobRequestsTopic, type JobRequest } from '@bnpl/messaging';
import { MessageHandlerExceptionFilter } from '@bnpl/messaging-nest';

/**
 * Runs the job shards this instance pulls from `bnpl.jobs.requests`. Resolving acks the message; a throw
 * nacks it, and the redelivered shard resumes from its checkpoint (in this or another instance).
 */
@Controller()
@UseFilters(new MessageHandlerExceptionFilter())
export class ShardConsumer {
  private readonly logger = new Logger('ShardConsumer');

  constructor(@Inject(JOB_SERVICE) private readonly jobs: JobService) {}

  @EventPattern(jobRequestsTopic.name)
  async onShard(@Payload() request: JobRequest): Promise<void> {
    const started = Date.now();
    const outcome = await this.jobs.runShard(request.jobId, request.shard.index);
    if (outcome !== 'skipped') {
      this.logger.log(`job ${request.jobId} shard ${request.shard.index + 1}/${request.shard.count} (${request.entity} ${request.shard.firstId}..${request.shard.lastId}) ${outcome} in ${Date.now() - started} ms`);
    }
  }
}
