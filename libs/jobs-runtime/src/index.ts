// Public API of @bnpl/jobs-runtime: the NestJS wiring of the job logic (@bnpl/batch) shared by
// rest-gateway (submit, read, cancel) and batch-processor (run shards).
export { JOB_SERVICE, JobsModule, type JobsModuleOptions } from './lib/jobs.module';
export { LocalJobFiles, type JobFileRoots } from './lib/local-job-files';
export { jobsEnvSchema, toJobsModuleOptions, type JobsEnv } from './lib/jobs-env';
