// Public API of @bnpl/messaging-nest: the NestJS side of messaging. A custom transport strategy that consumes
// typed topics through any MessageBroker (ack after the handler, bounded redelivery, dead-letter topic), the
// module that picks the broker from options, and the environment schema an app validates them from.
export { PubSubTransport, type PubSubTransportOptions, type SubscriptionBinding } from './lib/transport/pubsub-transport';
export { MessageContext, type MessageInfo } from './lib/transport/message-context';
export { MessageHandlerExceptionFilter } from './lib/transport/message-handler-exception.filter';
export { DEAD_LETTER_ATTRIBUTES, deadLetterTopicOf, type DeadLetterReason } from './lib/transport/dead-letter';
export { Messaging, createMessaging } from './lib/messaging';
export { type MessagingBackendOptions, type MessagingCommonOptions, type MessagingOptions } from './lib/messaging-options';
export { MessagingModule, MESSAGING, MESSAGING_READINESS, type MessagingModuleAsyncOptions } from './lib/messaging.module';
export { checkMessagingEnv, messagingEnvSchema, toMessagingOptions, type MessagingEnv } from './lib/messaging-env';
