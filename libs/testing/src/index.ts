export { runSql, startTestPostgres, type DedicatedTestPostgres, type TestPostgres, type TestPostgresOptions } from './lib/test-postgres';
export { serveSharedTestPostgres } from './lib/shared-test-postgres';
export { getJson, waitFor, waitForJob, type JobAnswer } from './lib/wait-for';
export { spawnService, waitForHttp, WORKSPACE_ROOT, type ServiceProcess } from './lib/service-process';
export { startRedisServer, startRedisCluster, freePort, type RunningRedis, type RunningRedisCluster } from '@bnpl/service-launchers';
export { describeServiceLifecycle, type ServiceLifecycleSpec } from './lib/service-lifecycle.suite';
export { seedSyntheticSource } from './lib/synthetic-source';
export { startPubSubEmulator, type RunningPubSubEmulator } from '@bnpl/service-launchers';
export { SourceChangeWriter, type ChangeKind, type WrittenChange } from './lib/source-change-writer';
export { serviceEnv, type ServiceDependencies } from './lib/service-env';
export { startTestStack, type StartedService, type StartServiceOptions, type TestStack, type TestStackOptions } from './lib/test-stack';
export { describeFeatureUpdateScenario, type FeatureUpdateScenario } from './lib/feature-update-scenario.suite';
export { seededRandom } from './lib/seeded-random';
export { awayFromUtcMidnight } from './lib/utc-day';
export { waitForSlotCaughtUp } from './lib/replication-slot';
export {
  BAD_INPUT_SEED_SQL,
  BAD_READ_CASES,
  caseOn,
  hugeName,
  LARGEST_GRPC_NAME,
  LARGEST_REST_NAME,
  MAX_AMOUNT_MINOR,
  OVERSIZED_BODY_BYTES,
  type BadInputClass,
  type BadReadCase,
  type CaseMoney,
  type CaseOutcome,
  type CaseRead,
  type ReadEndpoint,
} from './lib/bad-input-cases';
export { TestIdentityProvider, startTestIdentityProvider, type TestTokenAlgorithm, type TestTokenOptions } from './lib/test-identity-provider';
export { createTestApiKey, type TestApiKey, type TestApiKeySpec } from './lib/test-api-keys';
export { generateTestCertificates, type TestCertificate, type TestCertificates } from './lib/test-certificates';
export { enablePostgresTls, getJsonOverTls, startTlsRedis, type RunningTlsRedis } from './lib/tls-servers';
