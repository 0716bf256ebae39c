import { randomUUID } from 'node:crypto';
import { InMemoryBroker } from '@bnpl/messaging';
import { describeMessagingContract } from './messaging.contract';

// The messaging contract (through the Nest transport) against the in-process broker; the Google Pub/Sub
// broker runs the same suite in google-pubsub-messaging.int-spec.ts.
describeMessagingContract('in-memory', async () => {
  const namespace = `contract-${randomUUID()}`;
  return { openBroker: () => new InMemoryBroker({ namespace }), dispose: async () => undefined };
});
