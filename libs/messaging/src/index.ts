// Public API of @bnpl/messaging: typed topics with protobuf payloads, the MessageBroker and MessagePublisher
// ports, their errors, the in-process reference broker, and the JobQueue adapter over the publisher.
// No driver and no framework: Google Pub/Sub is @bnpl/messaging-pubsub, the Nest transport @bnpl/messaging-nest.
export { defineTopic, type Topic, type TopicDefinition } from './lib/topics/topic';
export { featureUpdatesTopic, type FeatureUpdate } from './lib/topics/feature-updates.topic';
export { featureHistoryTopic, type FeatureHistory, type FeatureHistoryEntry } from './lib/topics/feature-history.topic';
export { decisionRecordsTopic, type DecisionRecordBatchMessage, type DecisionRecordMessage } from './lib/topics/decision-records.topic';
export { keyRevocationsTopic, type KeyRevocation } from './lib/topics/key-revocations.topic';
export { JOB_KINDS, jobRequestsTopic, type JobKind, type JobRequest, type JobShard, type TimeRange } from './lib/topics/job-requests.topic';
export { JOB_STATES, SHARD_STATES, jobProgressTopic, type JobProgress, type JobState, type ShardProgress, type ShardState } from './lib/topics/job-progress.topic';
export { MESSAGE_PUBLISHER, type MessagePublisher, type PublishOptions } from './lib/message-publisher.port';
export type { BrokerSubscription, Delivery, MessageBroker, SubscriptionSpec } from './lib/message-broker.port';
export { InvalidMessagePayloadError } from './lib/errors/invalid-message-payload.error';
export { MessagingUnavailableError } from './lib/errors/messaging-unavailable.error';
export { BrokerPublisher } from './lib/broker-publisher';
export { InMemoryBroker, type InMemoryBrokerOptions } from './lib/in-memory-broker';
export { MessagingJobQueue } from './lib/messaging-job-queue';
