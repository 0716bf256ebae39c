import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ScheduleRepository } from '@bnpl/scheduling';
import { Requires } from '../auth/requires.decorator';
import { ApiJsonOk, ApiProblems } from '../openapi/api-docs';
import { toScheduleView } from './schedules.mapper';

export const SCHEDULE_REPOSITORY = Symbol('SCHEDULE_REPOSITORY');

/** Scheduled jobs, as the batch-processors run them (their JOB_SCHEDULES_FILE), with their last run. */
@ApiTags('jobs')
@Controller('v1/schedules')
export class SchedulesController {
  constructor(@Inject(SCHEDULE_REPOSITORY) private readonly schedules: ScheduleRepository) {}

  @Get()
  @Requires('jobs:read')
  @ApiOperation({
    summary: 'List scheduled jobs',
    description:
      'The schedules the batch-processors run, by name, with the next due instant, the last run (and the job it submitted) and the last failure. Empty until a batch-processor with JOB_SCHEDULES_FILE has started; in production, where Cloud Scheduler submits the runs, see its jobs instead.',
  })
  @ApiJsonOk('ScheduleList', 'The schedules.')
  @ApiProblems(500, 503)
  async list() {
    const now = new Date();
    return { schedules: (await this.schedules.list()).map((record) => toScheduleView(record, now)) };
  }
}
