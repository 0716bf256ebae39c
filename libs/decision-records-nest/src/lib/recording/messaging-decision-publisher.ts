import { decisionRecordsTopic, type MessageBroker, type MessagePublisher } from '@bnpl/messaging';
import type { DecisionBatch, DecisionPublisher } from '@bnpl/decision-records';

/** The decision sink's shared subscription: every batch-processor consumes from it. */
export const DECISIONS_SUBSCRIPTION = 'batch-processor.decisions';

/** The sink's subscription binding, for `messaging.transport([...])` in the batch-processor. */
export function decisionSinkBinding(maxInFlight = 4) {
  return { topic: decisionRecordsTopic, subscription: DECISIONS_SUBSCRIPTION, maxInFlight } as const;
}

/**
 * Publishes decision batches on `bnpl.decisions.records`. A topic without subscriptions drops what it is
 * sent, so before its first publish, and again after any failed one (messaging was down: an emulator may
 * have come back empty), it declares the sink's subscription, as the sink itself would: records held
 * through an outage are published only into a topic that keeps them. In production the subscription
 * exists (Terraform), and declaring it is a no-op.
 */
export class MessagingDecisionPublisher implements DecisionPublisher {
  #declared = false;

  constructor(
    private readonly publisher: MessagePublisher,
    private readonly broker: MessageBroker,
    private readonly maxDeliveries: number,
  ) {}

  async publish(batch: DecisionBatch): Promise<void> {
    try {
      if (!this.#declared) await this.#declare();
      await this.publisher.publish(decisionRecordsTopic, batch);
    } catch (error) {
      this.#declared = false;
      throw error;
    }
  }

  async #declare(): Promise<void> {
    const subscription = await this.broker.subscribe(
      { topic: decisionRecordsTopic.name, subscription: DECISIONS_SUBSCRIPTION, deadLetterTopic: `${DECISIONS_SUBSCRIPTION}.dlq`, maxDeliveries: this.maxDeliveries, maxInFlight: 1, drainTimeoutMs: 0 },
      // Not a consumer: anything delivered in the moment it is attached goes back at once.
      (delivery) => delivery.nack(),
      () => undefined,
    );
    await subscription.close();
    this.#declared = true;
  }
}
