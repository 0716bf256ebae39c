import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { JobService } from '@bnpl/batch';
import { JOB_SERVICE } from '@bnpl/jobs-runtime';
import { z } from 'zod';
import { InvalidRequestBodyError } from '../errors/invalid-request-body.error';
import { parseBody, parseQuery } from '../http/parse-body';
import { Requires } from '../auth/requires.decorator';
import { ApiJsonBody, ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { toJobRequest, toJobView, toShardView } from './jobs.mapper';
import { createJobRequestSchema, jobStateSchema } from './jobs.schema';

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
      'the same key with another request is refused (409).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Your name for this submission, 1 to 128 printable ASCII characters without spaces (the CLI sends a new UUID per submission).' })
  @ApiJsonBody('CreateJobRequest', { materialize: { value: { kind: 'materialize', feature_service: 'credit_decision_v1' } }, backfill: { value: { kind: 'backfill', from: '2025-01-01', to: '2025-01-31' } } })
  @ApiJsonOk('JobEnvelope', 'The job, as recorded (202).')
  @ApiProblems(400, 409, 413, 415, 500, 503)
  async create(@Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string) {
    const request = toJobRequest(parseBody(createJobRequestSchema, body));
    return { job: toJobView(await this.jobs.submit(request, idempotencyKey === undefined ? {} : { idempotencyKey })) };
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
