export { runSql, startTestPostgres, type TestPostgres } from './lib/test-postgres';
export { getJson, waitFor, waitForJob, type JobAnswer } from './lib/wait-for';
export { spawnService, waitForHttp, WORKSPACE_ROOT, type ServiceProcess } from './lib/service-process';
export { startRedisServer, startRedisCluster, freePort, type RunningRedis, type RunningRedisCluster } from '@bnpl/service-launchers';
export { describeServiceLifecycle, type ServiceLifecycleSpec } from './lib/service-lifecycle.suite';
export { seedSyntheticSource } from './lib/synthetic-source';
export { startPubSubEmulator, type RunningPubSubEmulator } from '@bnpl/service-launchers';
export { SourceChangeWriter, type ChangeKind, type WrittenChange } from './lib/source-change-writer';
