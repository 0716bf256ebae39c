import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { principalOf } from '@bnpl/access-control-nest';
import { JobQuotaExceededError, type JobService } from '@bnpl/batch';
import { JOB_SERVICE } from '@bnpl/jobs-runtime';
import { z } from 'zod';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { parseBody, parseQuery } from '../http/parse-body';
import { Requires } from '../auth/requires.decorator';
import { ApiJsonBody, ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { toJobRequest, toJobView, toShardView } from './jobs.mapper';
import { createJobRequestSchema, jobStateSchema } from './jobs.schema';

/** The principal of every submission while access control is off (AUTH_MODE=off). */
const ANONYMOUS = 'anonymous';

const uuid = new ParseUUIDPipe({ exceptionFactory: (detail) => new InvalidRequestBodyError('INVALID_JOB_ID', `Invalid job id: ${detail}`) });
const listQuery = z.object({
  state: jobStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  idempotency_key: z.string().min(1).max(128).optional(),
});

/**
 * Batch jobs for data engineers (and the CLI): submitted here, split into shards and published on the
 * job queue, run by batch-processor instances.
 */
@ApiTags('jobs')
@Controller('v1/jobs')
export class JobsController {
  constructor(@Inject(JOB_SERVICE) private readonly jobs: JobService) {}

  @Post()
  @HttpCode(202)
  @Requires('jobs:write')
  @ApiOperation({
    summary: 'Submit a job',
    description:
      'Validated before anything is recorded (unknown views, reversed ranges...). Answers 202 with the job: its shards are queued for the batch processors. ' +
      'With an `Idempotency-Key`, a retry of the same request answers the job the first call created (202 again), also when that call\'s answer was lost; ' +
      'the same key with another request is refused (409). ' +
      'Quotas per principal: at most JOBS_MAX_IN_FLIGHT_PER_PRINCIPAL (4) jobs pending or running (beyond: 429 JOB_QUOTA_EXCEEDED with Retry-After), shards of at least JOBS_MIN_SHARD_SIZE (1,000) entities (400). ' +
      'Training-set files are paths relative to the job files root; `..`, absolute paths elsewhere, links leading out and an existing output without `overwrite` are refused (400 JOB_FILE_REFUSED).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Your name for this submission, 1 to 128 printable ASCII characters without spaces (the CLI sends a new UUID per submission).' })
  @ApiJsonBody('CreateJobRequest', { materialize: { value: { kind: 'materialize', feature_service: 'credit_decision_v1' } }, backfill: { value: { kind: 'backfill', from: '2025-01-01', to: '2025-01-31' } } })
  @ApiJsonOk('JobEnvelope', 'The job, as recorded (202).')
  @ApiProblems(400, 409, 413, 415, 429, 500, 503)
  async create(@Body() body: unknown, @Req() http: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Headers('idempotency-key') idempotencyKey?: string) {
    const request = toJobRequest(parseBody(createJobRequestSchema, body));
    // Quotas count per principal: the caller access control authenticated; with AUTH_MODE=off, one anonymous principal.
    const principal = principalOf(http)?.name ?? ANONYMOUS;
    try {
      return { job: toJobView(await this.jobs.submit(request, { principal, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) })) };
    } catch (error) {
      if (error instanceof JobQuotaExceededError) void reply.header('retry-after', String(error.retryAfterSeconds));
      throw error;
    }
  }

  @Get()
  @Requires('jobs:read')
  @ApiOperation({ summary: 'List jobs', description: 'Newest first.' })
  @ApiQuery({ name: 'state', required: false, enum: jobStateSchema.options })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 500 (default 50)' })
  @ApiQuery({ name: 'idempotency_key', required: false, description: 'The job submitted with this Idempotency-Key (a client that lost the answer looks it up so)' })
  @ApiJsonOk('JobList', 'The jobs.')
  @ApiProblems(400, 500, 503)
  async list(@Query() query: unknown) {
    const { state, limit, idempotency_key } = parseQuery(listQuery, query);
    return { jobs: (await this.jobs.list({ limit, ...(state ? { state } : {}), ...(idempotency_key !== undefined ? { idempotencyKey: idempotency_key } : {}) })).map(toJobView) };
  }

  @Get(':id')
  @Requires('jobs:read')
  @ApiOperation({ summary: 'One job with its shards', description: 'Progress per shard: state, checkpoint, rows, attempts, when it was last queued and how many times.' })
  @ApiParam({ name: 'id', description: 'Job id (UUID)' })
  @ApiJsonOk('JobDetail', 'The job and its shards.')
  @ApiProblems(400, 404, 500, 503)
  async get(@Param('id', uuid) id: string) {
    const { job, shards } = await this.jobs.get(id);
    return { job: toJobView(job), shards: shards.map(toShardView) };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Requires('jobs:write')
  @ApiOperation({ summary: 'Cancel a job', description: 'Shards in flight stop at their next checkpoint; a finished job is returned unchanged.' })
  @ApiParam({ name: 'id', description: 'Job id (UUID)' })
  @ApiJsonOk('JobEnvelope', 'The job after cancellation.')
  @ApiProblems(400, 404, 500, 503)
  async cancel(@Param('id', uuid) id: string) {
    return { job: toJobView(await this.jobs.cancel(id)) };
  }
}
