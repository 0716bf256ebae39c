// Public API of @bnpl/messaging-pubsub: the MessageBroker port over Google Pub/Sub (or its emulator).
export { GooglePubSubBroker, type GooglePubSubBrokerOptions } from './lib/google-pubsub-broker';
