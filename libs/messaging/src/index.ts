// Public API of @bnpl/messaging: typed topics, the MessagePublisher port, the NestJS transport strategy that
// consumes them, the Google Pub/Sub and in-process adapters, and their wiring.
export { defineTopic, type Topic, type TopicDefinition } from './lib/topics/topic';
export { featureUpdatesTopic, type FeatureUpdate } from './lib/topics/feature-updates.topic';
export { JOB_KINDS, jobRequestsTopic, type JobKind, type JobRequest, type JobShard, type TimeRange } from './lib/topics/job-requests.topic';
export { JOB_STATES, SHARD_STATES, jobProgressTopic, type JobProgress, type JobState, type ShardProgress, type ShardState } from './lib/topics/job-progress.topic';
export { MESSAGE_PUBLISHER, type MessagePublisher, type PublishOptions } from './lib/message-publisher.port';
export type { BrokerSubscription, Delivery, MessageBroker, SubscriptionSpec } from './lib/message-broker.port';
export { InvalidMessagePayloadError } from './lib/errors/invalid-message-payload.error';
export { MessagingUnavailableError } from './lib/errors/messaging-unavailable.error';
export { PubSubTransport, type PubSubTransportOptions, type SubscriptionBinding } from './lib/transport/pubsub-transport';
export { MessageContext, type MessageInfo } from './lib/transport/message-context';
export { MessageHandlerExceptionFilter } from './lib/transport/message-handler-exception.filter';
export { DEAD_LETTER_ATTRIBUTES, deadLetterTopicOf, type DeadLetterReason } from './lib/transport/dead-letter';
export { GooglePubSubBroker, type GooglePubSubBrokerOptions } from './adapters/google-pubsub-broker';
export { InMemoryBroker, type InMemoryBrokerOptions } from './adapters/in-memory-broker';
export { Messaging, createMessaging } from './lib/messaging';
export { type MessagingBackendOptions, type MessagingCommonOptions, type MessagingOptions } from './lib/messaging-options';
export { MessagingModule, MESSAGING, MESSAGING_READINESS, type MessagingModuleAsyncOptions } from './lib/messaging.module';
export { checkMessagingEnv, messagingEnvSchema, toMessagingOptions, type MessagingEnv } from './lib/messaging-env';
export { MessagingJobQueue } from './adapters/messaging-job-queue';
