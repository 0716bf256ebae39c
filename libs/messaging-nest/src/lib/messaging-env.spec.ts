import { loadConfig } from '@bnpl/platform';
import { checkMessagingEnv, messagingEnvSchema, toMessagingOptions } from './messaging-env';

const load = (env: Record<string, string>) => toMessagingOptions(loadConfig('test', messagingEnvSchema, env, [checkMessagingEnv]));

describe('messaging environment', () => {
  it('defaults to Pub/Sub, which needs a project, with 5 deliveries before a dead letter', () => {
    expect(() => load({})).toThrow(/PUBSUB_PROJECT_ID: is required when MESSAGING=pubsub/);
    expect(load({ PUBSUB_PROJECT_ID: 'bnpl-prod' })).toEqual({ type: 'pubsub', projectId: 'bnpl-prod', maxDeliveries: 5 });
  });

  it('reads the emulator host and the delivery limit', () => {
    expect(load({ PUBSUB_PROJECT_ID: 'bnpl-local', PUBSUB_EMULATOR_HOST: '127.0.0.1:8085', MESSAGING_MAX_DELIVERIES: '3' })).toEqual({
      type: 'pubsub',
      projectId: 'bnpl-local',
      emulatorHost: '127.0.0.1:8085',
      maxDeliveries: 3,
    });
  });

  it('selects the in-process bus, which needs nothing else', () => {
    expect(load({ MESSAGING: 'memory' })).toEqual({ type: 'memory', maxDeliveries: 5 });
  });

  it.each([
    [{ MESSAGING: 'kafka' }, /MESSAGING: must be one of: pubsub, memory/],
    [{ PUBSUB_PROJECT_ID: 'Bad_Project' }, /PUBSUB_PROJECT_ID: must be a Google Cloud project id/],
    [{ PUBSUB_PROJECT_ID: 'bnpl-local', PUBSUB_EMULATOR_HOST: 'http://localhost' }, /PUBSUB_EMULATOR_HOST: must be host:port/],
    [{ MESSAGING: 'memory', MESSAGING_MAX_DELIVERIES: '0' }, /MESSAGING_MAX_DELIVERIES: must be 1\.\.99/],
    [{ MESSAGING: 'memory', MESSAGING_MAX_DELIVERIES: '100' }, /MESSAGING_MAX_DELIVERIES: must be 1\.\.99/],
  ])('rejects %j, naming the variable', (env, message) => {
    expect(() => load(env)).toThrow(message);
  });
});
