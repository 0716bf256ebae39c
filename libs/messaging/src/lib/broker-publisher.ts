import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { MessageBroker } from './message-broker.port';
import type { MessagePublisher, PublishOptions } from './message-publisher.port';
import type { Topic } from './topics/topic';

// The OpenTelemetry API only: without an SDK registered (tracing off) every call below is a no-op.
const tracer = trace.getTracer('@bnpl/messaging');

/**
 * The MessagePublisher over any backend: the topic's codec, then the broker. Each publish is a producer
 * span, and the trace context (W3C `traceparent`, `tracestate`) goes in the message's attributes, so that
 * the consumer's span continues the publisher's trace in whichever process handles the message.
 */
export class BrokerPublisher implements MessagePublisher {
  constructor(private readonly broker: MessageBroker) {}

  async publish<T>(topic: Topic<T>, payload: T, options?: PublishOptions): Promise<string> {
    // Encoding first: a payload that does not fit the topic fails before any span or send.
    const data = topic.encode(payload);
    return tracer.startActiveSpan(
      `publish ${topic.name}`,
      { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': this.broker.kind === 'pubsub' ? 'gcp_pubsub' : 'in_memory', 'messaging.operation.type': 'send', 'messaging.destination.name': topic.name } },
      async (span) => {
        try {
          const attributes: Record<string, string> = { ...options?.attributes };
          propagation.inject(context.active(), attributes);
          const id = await this.broker.publish(topic.name, data, { ...options, attributes });
          span.setAttribute('messaging.message.id', id);
          return id;
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}
