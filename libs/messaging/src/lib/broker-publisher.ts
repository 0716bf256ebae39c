import type { MessageBroker } from './message-broker.port';
import type { MessagePublisher, PublishOptions } from './message-publisher.port';
import type { Topic } from './topics/topic';

/** The MessagePublisher over any backend: the topic's codec, then the broker. */
export class BrokerPublisher implements MessagePublisher {
  constructor(private readonly broker: MessageBroker) {}

  async publish<T>(topic: Topic<T>, payload: T, options?: PublishOptions): Promise<string> {
    return this.broker.publish(topic.name, topic.encode(payload), options);
  }
}
