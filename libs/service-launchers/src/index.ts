export { MissingBinaryError, findOnPath, requireBinary, requireRedisServer, requireRedisCli, embeddedPostgresBinDir } from './lib/binaries';
export { stopChild, OutputTail, type LaunchedService } from './lib/child';
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from './lib/embedded-postgres';
export { freePort, waitForPort } from './lib/free-port';
export { buildPubSubEmulator, startPubSubEmulator, type PubSubEmulatorOptions, type RunningPubSubEmulator } from './lib/pubsub-emulator';
export { startRedisServer, startRedisCluster, type RedisServerOptions, type RunningRedis, type RunningRedisCluster } from './lib/redis-server';
export { makeTempDir } from './lib/temp-dir';
export { SERVICE_NODE_OPTIONS, serviceNodeOptions } from './lib/service-node-options';
export {
  createTestDatabase,
  dropDatabase,
  TEST_POSTGRES_VARIABLE,
  writeSharedTestPostgresAnnouncement,
  type SharedTestPostgresAnnouncement,
  type TestDatabase,
  type TestDatabaseOptions,
} from './lib/test-database';
