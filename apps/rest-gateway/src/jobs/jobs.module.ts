import { Module, type DynamicModule } from '@nestjs/common';
import { JobsController } from './jobs.controller';

/** The REST jobs endpoints over the shared JobService (JobsModule from @bnpl/jobs-runtime). */
@Module({})
export class JobsApiModule {
  static register(jobs: DynamicModule): DynamicModule {
    return { module: JobsApiModule, imports: [jobs], controllers: [JobsController] };
  }
}
