import { ConfigError } from '@bnpl/platform';
import { loadGrpcServingConfig } from './config';

describe('grpc-serving config', () => {
  it('defaults to gRPC on 50051, HTTP on 3003, L1 on and Google Pub/Sub for feature-update events', () => {
    const config = loadGrpcServingConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/bnpl', PUBSUB_PROJECT_ID: 'bnpl-prod' });
    expect(config.GRPC_PORT).toBe(50051);
    expect(config.HTTP_PORT).toBe(3003);
    expect(config.ONLINE_STORE_L1_MAX_ENTRIES).toBe(200_000);
    expect(config.MESSAGING).toBe('pubsub');
    expect(config.PUBSUB_PROJECT_ID).toBe('bnpl-prod');
  });

  it('needs the Pub/Sub project unless messaging is in-process, and takes an emulator', () => {
    expect(() => loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db' })).toThrow(/PUBSUB_PROJECT_ID: is required when MESSAGING=pubsub/);
    expect(loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db', MESSAGING: 'memory' }).MESSAGING).toBe('memory');
    const emulated = loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local', PUBSUB_EMULATOR_HOST: '127.0.0.1:8085' });
    expect(emulated.PUBSUB_EMULATOR_HOST).toBe('127.0.0.1:8085');
  });

  it('runs one process unless SERVING_WORKERS asks for a pool of 1 to 64', () => {
    expect(loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local' }).SERVING_WORKERS).toBe(1);
    expect(loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local', SERVING_WORKERS: '4' }).SERVING_WORKERS).toBe(4);
    expect(() => loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local', SERVING_WORKERS: '0' })).toThrow(/SERVING_WORKERS: must be > 0/);
    expect(() => loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local', SERVING_WORKERS: '65' })).toThrow(/SERVING_WORKERS: must be at most 64/);
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db', MESSAGING: 'kafka' })).toThrow(ConfigError);
    expect(() => loadGrpcServingConfig({ DATABASE_URL: 'postgres://h/db', PUBSUB_PROJECT_ID: 'bnpl-local', PUBSUB_EMULATOR_HOST: 'no-port' })).toThrow(/PUBSUB_EMULATOR_HOST: must be host:port/);
  });
});
